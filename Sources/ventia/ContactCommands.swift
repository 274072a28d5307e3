import ArgumentParser
import Foundation
import VentiaAPI
import VentiaCommandLine
import VentiaMirror
import VentiaCore

/// `ventia contacts list|show`.
struct ContactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts", abstract: "List or show contacts.", subcommands: [ContactsList.self, ContactsShow.self])
}

struct ContactsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the account's contacts, newest activity first.",
        discussion: """
            The local copy is brought up to date first (one request when it already is; every page on \
            the first run), then filtered here: the API itself has no search. CSV columns: \
            \(Records.contactColumns.joined(separator: ", ")).
            """)

    @OptionGroup var options: CommandOptions
    @Option(help: "Only contacts with this status (repeat for several).") var status: [String] = []
    @Option(help: "Only contacts of this agent: a user's name, email or id, `me` (`me:` in config.yml), or `none` for unassigned (repeat for several).") var agent: [String] = []
    @Option(help: "At most this many contacts.") var limit: Int?
    @Flag(help: "List the local copy as it is, without asking the server.") var cached = false
    @Flag(exclusivity: .exclusive) var output: OutputChoice = .text

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let statuses = status
        let agents = agent
        let limit = limit
        let cached = cached
        let format = output.format
        options.run { context in
            var view = SavedView(name: "command line")
            view.statuses = statuses
            view.agents = agents
            var users: [User] = []
            if !agents.isEmpty {
                users = await context.allPages(.listUsers, as: User.self, doing: "listing users").map(\.value)
            }
            let query: ContactQuery
            switch view.query(users: users, now: Date(), me: context.me) {
            case .success(let resolved): query = resolved
            case .failure(let error):
                context.say("--agent: \(error.message)" + (error.choices.isEmpty ? "" : " (choose: \(error.choices.joined(separator: ", ")))"))
                context.exit(.usage)
            }
            // JSON and CSV are written a batch at a time, as the mirror is read: the first rows come
            // at once and memory holds one batch. Aligned text needs every row for its widths.
            var shown: [ContactSummary] = []
            var started = false
            await ContactCatchUp.eachBatch(context, cached: cached, matching: query, limit: limit, withJSON: format == .json) { batch in
                switch format {
                case .csv:
                    context.output(Records.contacts(batch.map(\.summary)).csv(header: !started))
                    started = true
                case .json:
                    // Each contact's JSON as the mirror keeps it (the answer's fields, keys sorted).
                    var bytes = Data()
                    for listed in batch {
                        bytes.append(started ? UInt8(ascii: ",") : UInt8(ascii: "["))
                        bytes.append(listed.json ?? Data("null".utf8))
                        started = true
                    }
                    context.output(bytes)
                case .text:
                    shown += batch.map(\.summary)
                }
                return true
            }
            switch format {
            case .csv: if !started { context.output(Records.contacts([]).csv()) }
            case .json: context.output(started ? "]\n" : "[]\n")
            case .text: context.output(shown.isEmpty ? "" : Records.contactsText(shown).text())
            }
        }
    }
}

struct ContactsShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one contact, fetched from the server.")

    @OptionGroup var options: CommandOptions
    @Argument(help: "The contact's id.") var id: String
    @Flag(exclusivity: .exclusive) var output: OutputChoice = .text

    func run() throws {
        let id = id
        let format = output.format
        options.run { context in
            let kept = await context.get(.getContact, path: [id], as: Kept<Contact>.self, doing: "fetching contact \(id)")
            if let mirror = context.account.mirror { _ = try? mirror.save([kept.value], fetchedAt: Date()) }
            let table = Records.contacts([ContactSummary(kept.value)])
            context.output(Listing.render(format, json: kept.json, table: table) {
                // One contact: a field a line.
                let width = table.columns.map(\.count).max() ?? 0
                return zip(table.columns, table.rows[0]).map { $0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $1 }.joined(separator: "\n") + "\n"
            })
        }
    }
}

/// `ventia timeline ID`.
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline", abstract: "A contact's interactions, newest first.",
        discussion: "CSV columns: \(Records.interactionColumns.joined(separator: ", ")).")

    @OptionGroup var options: CommandOptions
    @Argument(help: "The contact's id.") var id: String
    @Flag(exclusivity: .exclusive) var output: OutputChoice = .text

    func run() throws {
        let id = id
        let format = output.format
        options.run { context in
            let kept = await context.allPages(.listInteractions, path: [id], as: Interaction.self, doing: "fetching the timeline of \(id)")
            if let mirror = context.account.mirror { try? mirror.save(timeline: kept.map(\.value), of: id, fetchedAt: Date()) }
            context.output(Listing.render(format, json: .array(kept.map(\.json)), table: Records.timeline(kept.map(\.value))))
        }
    }
}
