import ArgumentParser
import Foundation
import VentiaAPI
import VentiaCommandLine
import VentiaCore

/// `ventia lead import FILE.csv`.
struct LeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lead", abstract: "Campaign leads.", subcommands: [LeadImportCommand.self])
}

struct LeadImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create campaign leads from a CSV file, row by row, paced by the rate budget.",
        discussion: """
            The first line names the columns: firstName, lastName, phone, email, detail, and optionally \
            origin and agent (any order, any case). Several phones or emails in one cell are \
            separated by `;`. A row needs a phone or an email. A lead whose phone or email matches \
            an existing contact creates nothing: the server adds a note for that contact's agent \
            ("matched" in the report).

            Every row is checked first; a row that cannot be read or checked is reported with its \
            line and skipped, never sent. --dry-run stops there and prints the cost. The report \
            (standard output) has one row per line of the file: \
            \(LeadImportOutcome.columns.joined(separator: ", ")); its outcome is created, matched, \
            refused, skipped, ready (dry run) or unconfirmed (no answer: kept in the outbox and \
            checked at the next start, so nothing is created twice).

            Exit status: 0 when every row was created or matched; 1 when the server refused a row; \
            65 when a row was skipped; 69 or 75 as for every command.
            """)

    @OptionGroup var options: CommandOptions
    @Argument(help: "The CSV file (- reads standard input).") var file: String
    @Option(help: "The agent for rows without an agent column: a user's name, email or id.") var agent: String?
    @Option(help: "The origin for rows without an origin column: its code or name (else the account's first).") var origin: String?
    @Flag(help: "Check every row and print the cost; send nothing.") var dryRun = false
    @Flag(exclusivity: .exclusive) var output: OutputChoice = .text

    func run() throws {
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            text = String(decoding: data, as: UTF8.self)
        }
        let agent = agent
        let origin = origin
        let dryRun = dryRun
        let format = output.format
        options.run { context in
            let users = await context.allPages(.listUsers, as: User.self, doing: "listing users").map(\.value)
            let group = await context.get(.listGroups, as: [Group].self, doing: "reading the account's configuration").first
            let importer = LeadImport(context: context, defaultAgent: agent, defaultOrigin: origin)
            let (ready, skipped) = importer.check(text, users: users, group: group)
            var outcomes = skipped
            if dryRun {
                outcomes += ready.map { LeadImportOutcome(line: $0.line, kind: .ready, name: $0.input.firstName + " " + $0.input.lastName, contactId: "", detail: "for \($0.agent.fullName)") }
                let cost = BulkCost(writes: ready.count, budget: context.client.rateBudget.snapshot())
                context.say("dry run: " + cost.summary(noun: "lead") + (skipped.isEmpty ? "" : " · \(skipped.count) rows skipped"))
            } else {
                outcomes += await importer.send(ready)
            }
            context.output(Listing.render(format, json: LeadImport.reportJSON(outcomes), table: LeadImport.report(outcomes)))
            let counts = Dictionary(grouping: outcomes, by: \.kind).mapValues(\.count)
            let order: [LeadImportOutcome.Kind] = [.ready, .created, .matched, .refused, .unconfirmed, .skipped]
            context.say("\(outcomes.count) rows: " + order.compactMap { kind in counts[kind].map { "\($0) \(kind.rawValue)" } }.joined(separator: ", "))
            if counts[.unconfirmed] != nil { context.exit(.unreachable) }
            if counts[.refused] != nil { context.exit(.refused) }
            if counts[.skipped] != nil { context.exit(.badInput) }
        }
    }
}
