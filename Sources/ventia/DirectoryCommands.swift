import ArgumentParser
import Foundation
import VentiaAPI
import VentiaCommandLine
import VentiaCore

/// `ventia sales list` and `ventia sales summary`.
struct SalesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sales", abstract: "List sales, or sum up a period's.", subcommands: [SalesList.self, SalesSummaryCommand.self])

    /// Days here: the Gregorian calendar in this machine's time zone (`TZ`).
    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        return calendar
    }

    /// Amounts in the text listings: the environment's locale (`LANG`), in `currency` when given.
    static func money(currency: String?) -> MoneyFormat {
        MoneyFormat(locale: MoneyFormat.locale(fromEnvironment: ProcessInfo.processInfo.environment), currency: currency?.uppercased())
    }

    /// `2026-11-01` as a day, or a message naming the option.
    static func day(_ text: String, option: String) throws -> LocalDay {
        guard let day = LocalDay(text), text.count == 10, text.contains("-") else {
            throw ValidationError("--\(option) must be a day as YYYY-MM-DD, not \"\(text.prefix(20))\"")
        }
        return day
    }
}

struct SalesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the sales of a date range: pages are read 100 sales a request.",
        discussion: "Dates are days (YYYY-MM-DD) in your time zone, both included; a sale's day is its date_sale. CSV columns: \(Records.saleColumns.joined(separator: ", ")).")

    @OptionGroup var options: CommandOptions
    @Option(help: "The first day (YYYY-MM-DD).") var from: String?
    @Option(help: "The last day (YYYY-MM-DD).") var to: String?
    @Option(help: "Only sales with this status (SOLD, PENDING, …; any case).") var status: String?
    @Flag(exclusivity: .exclusive) var output: OutputChoice = .text

    func validate() throws {
        let start = try from.map { try SalesCommand.day($0, option: "from") }
        let end = try to.map { try SalesCommand.day($0, option: "to") }
        if let start, let end, end < start { throw ValidationError("--to is before --from") }
    }

    func run() throws {
        let start = try from.map { try SalesCommand.day($0, option: "from") }
        let end = try to.map { try SalesCommand.day($0, option: "to") }
        let status = status?.uppercased()
        let format = output.format
        let calendar = SalesCommand.calendar
        options.run { context in
            let read = await context.sales(from: start, calendar: calendar)
            let chosen = zip(read.sales, read.objects).filter { sale, _ in
                let day = (sale.dateSale ?? sale.date).map { LocalDay($0, in: calendar) }
                if let start, (day.map { $0 < start } ?? true) { return false }
                if let end, (day.map { $0 > end } ?? true) { return false }
                if let status, sale.status?.uppercased() != status { return false }
                return true
            }
            context.output(Listing.render(format, json: .array(chosen.map(\.1)), table: Records.sales(chosen.map(\.0))) {
                chosen.isEmpty ? "" : Records.salesText(chosen.map(\.0), money: SalesCommand.money(currency: nil)).text()
            })
        }
    }
}

struct SalesSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Sum up a period's sales: by status and by seller, beside the period before.",
        discussion: """
            Dates are days (YYYY-MM-DD) in your time zone, both included; a sale's day is its date_sale. The previous \
            period is as many days just before. --from defaults to the first of --to's month, --to to today. JSON: \
            {from, to, total: {count, value}, byStatus: [{status, count, value}], byUser: [{userId, name, count, value, \
            sold, pending, cancelled}], previous: {from, to, total}}. CSV columns: \(SalesSummaryReport.csvColumns.joined(separator: ", ")).
            """)

    @OptionGroup var options: CommandOptions
    @Option(help: "The first day (YYYY-MM-DD).") var from: String?
    @Option(help: "The last day (YYYY-MM-DD).") var to: String?
    @Option(help: "Write amounts in this currency (an ISO code: UYU, USD) in the text listing.") var currency: String?
    @Flag(exclusivity: .exclusive) var output: OutputChoice = .text

    func range() throws -> DayRange {
        let end = try to.map { try SalesCommand.day($0, option: "to") } ?? LocalDay(Date(), in: SalesCommand.calendar)
        let start = try from.map { try SalesCommand.day($0, option: "from") } ?? end.firstOfMonth
        guard start <= end else { throw ValidationError("--to is before --from") }
        return DayRange(start, end)
    }

    func validate() throws {
        _ = try range()
        if let currency, !MoneyFormat.isKnownCurrency(currency) {
            throw ValidationError("--currency must be an ISO 4217 code such as UYU or USD, not \"\(currency.prefix(20))\"")
        }
    }

    func run() throws {
        let range = try range()
        let previous = SalesPeriod.custom(range).previous(of: range)
        let format = output.format
        let calendar = SalesCommand.calendar
        let money = SalesCommand.money(currency: currency)
        options.run { context in
            let users = await context.allPages(.listUsers, as: User.self, doing: "listing users").map(\.value)
            let read = await context.sales(from: previous?.first ?? range.first, calendar: calendar)
            let summary = SalesSummary(sales: read.sales, range: range, previous: previous, users: users, calendar: calendar)
            switch format {
            case .json: context.output(Listing.json(SalesSummaryReport.json(summary)))
            case .csv: context.output(SalesSummaryReport.table(summary).csv())
            case .text: context.output(SalesSummaryReport.text(summary, money: money))
            }
        }
    }
}

/// `ventia users list`.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "users", abstract: "List the account's users.", subcommands: [UsersList.self])
}

struct UsersList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the account's users.", discussion: "CSV columns: \(Records.userColumns.joined(separator: ", ")).")

    @OptionGroup var options: CommandOptions
    @Flag(exclusivity: .exclusive) var output: OutputChoice = .text

    func run() throws {
        let format = output.format
        options.run { context in
            let users = await context.allPages(.listUsers, as: User.self, doing: "listing users")
            context.output(Listing.render(format, json: .array(users.map(\.json)), table: Records.users(users.map(\.value))))
        }
    }
}

/// `ventia groups show`.
struct GroupsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "groups", abstract: "The account's group configuration.", subcommands: [GroupsShow.self])
}

struct GroupsShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show the key's group and its descendants: origins, archiving reasons, statuses, additional data.")

    @OptionGroup var options: CommandOptions
    @Flag(help: "The server's JSON as it sent it.") var json = false

    func run() throws {
        let json = json
        options.run { context in
            let groups = await context.get(.listGroups, as: Kept<[Group]>.self, doing: "reading the group configuration")
            if json { return context.output(Listing.json(groups.json)) }
            var lines: [String] = []
            for group in groups.value {
                lines.append("\(group.name) (\(group.id))")
                lines.append("  origins: " + group.origins.map { "\($0.code) (\($0.name))" }.joined(separator: ", "))
                lines.append("  archiving reasons: " + group.activeArchivingReasons.map { "\($0.code) (\($0.name))" }.joined(separator: ", "))
                if !group.additionalDataFields.isEmpty {
                    lines.append("  additional data: " + group.additionalDataFields.map { $0.name + ($0.required ? "*" : "") }.joined(separator: ", "))
                }
            }
            context.output(lines.joined(separator: "\n") + "\n")
        }
    }
}
