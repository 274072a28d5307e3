import ArgumentParser
import Foundation
import VentiaAPI
import VentiaCommandLine
import VentiaCore

/// `ventia sales list`.
struct SalesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sales", abstract: "List sales.", subcommands: [SalesList.self])
}

struct SalesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the sales of a date range: every page is read, 100 sales a request.",
        discussion: "Dates are days (YYYY-MM-DD) in your time zone, both included; a sale's day is its date_sale. CSV columns: \(Records.saleColumns.joined(separator: ", ")).")

    @OptionGroup var options: CommandOptions
    @Option(help: "The first day (YYYY-MM-DD).") var from: String?
    @Option(help: "The last day (YYYY-MM-DD).") var to: String?
    @Option(help: "Only sales with this status (SOLD, PENDING, …; any case).") var status: String?
    @Flag(exclusivity: .exclusive) var output: OutputChoice = .text

    /// `2026-11-01` as the start of that day here.
    static func day(_ text: String, option: String) throws -> Date {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        var components = DateComponents()
        if parts.count == 3 {
            components.year = parts[0]
            components.month = parts[1]
            components.day = parts[2]
        }
        guard parts.count == 3, components.isValidDate(in: Calendar.current), let date = Calendar.current.date(from: components) else {
            throw ValidationError("--\(option) must be a day as YYYY-MM-DD, not \"\(text.prefix(20))\"")
        }
        return date
    }

    func validate() throws {
        let start = try from.map { try Self.day($0, option: "from") }
        let end = try to.map { try Self.day($0, option: "to") }
        if let start, let end, end < start { throw ValidationError("--to is before --from") }
    }

    func run() throws {
        let start = try from.map { try Self.day($0, option: "from") }
        let end = try to.map { try Self.day($0, option: "to") }.flatMap { Calendar.current.date(byAdding: .day, value: 1, to: $0) }
        let status = status?.uppercased()
        let format = output.format
        options.run { context in
            var sales: [(sale: Sale, json: JSONValue)] = []
            var cursor = SalesPageCursor(limit: SalesPageCursor.maximumLimit)
            while true {
                let page = await context.get(.listSales, query: cursor.query, as: Kept<SalesPage>.self, doing: "listing sales")
                var objects: [JSONValue] = []
                if case .array(let items)? = page.json["data"] { objects = items }
                for (index, sale) in page.value.data.enumerated() {
                    let json: JSONValue = objects.indices.contains(index) ? objects[index] : .null
                    sales.append((sale, json))
                }
                cursor.record(page.value.pagination)
                guard cursor.hasNextPage, !page.value.data.isEmpty else { break }
                cursor.goToNextPage()
                context.progress("listing sales: page \(cursor.page) of \(cursor.totalPages ?? 0)…")
            }
            let chosen = sales.filter { entry in
                let day = entry.sale.dateSale ?? entry.sale.date
                if let start, (day.map { $0 < start } ?? true) { return false }
                if let end, (day.map { $0 >= end } ?? true) { return false }
                if let status, entry.sale.status?.uppercased() != status { return false }
                return true
            }
            context.output(Listing.render(format, json: .array(chosen.map(\.json)), table: Records.sales(chosen.map(\.sale))) {
                chosen.isEmpty ? "" : Records.salesText(chosen.map(\.sale)).text()
            })
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
