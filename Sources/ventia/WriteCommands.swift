import ArgumentParser
import Foundation
import TextSearch
import VentiaAPI
import VentiaCommandLine
import VentiaMirror
import VentiaCore

/// `ventia note add ID [TEXT|-]`.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Add a note to a contact.", subcommands: [NoteAdd.self])
}

struct NoteAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a note to a contact.",
        discussion: "Without TEXT, or with -, the note is read from standard input (a pipe, a heredoc, a file).")

    @OptionGroup var options: CommandOptions
    @Argument(help: "The contact's id.") var id: String
    @Argument(help: "The note; - or nothing reads it from standard input.") var text: String?
    @Flag(help: "Print the note the server stored, as JSON.") var json = false

    func run() throws {
        var body = text ?? "-"
        if body == "-" {
            guard isatty(STDIN_FILENO) == 0 else {
                throw ValidationError("give the note as TEXT, or pipe it in (… | ventia note add ID -)")
            }
            body = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = ContactFieldRules.noteBody(body) { throw ValidationError("the note \(problem)") }
        let write = OutboxWrite.note(body: body)
        let id = id
        let json = json
        options.run { context in
            await WriteRun.send(write, to: id, context: context, json: json, done: "note added")
        }
    }
}

/// `ventia reminder add ID WHEN`.
struct ReminderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reminder", abstract: "Set a contact's reminder.", subcommands: [ReminderAdd.self])
}

struct ReminderAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Set a contact's reminder.",
        discussion: "WHEN as the app takes it: tomorrow 9:00, friday 14, +2h, in 3 days, 2026-12-01 10:30 (your time zone).")

    @OptionGroup var options: CommandOptions
    @Argument(help: "The contact's id.") var id: String
    @Argument(help: "When, e.g. \"tomorrow 9:00\".") var when: String
    @Flag(help: "Print the reminder the server stored, as JSON.") var json = false

    func run() throws {
        let parser = ReminderTimeParser()
        let date: Date
        switch parser.parse(when, now: Date()) {
        case .success(let parsed): date = parsed
        case .failure(let failure): throw ValidationError("WHEN: \(failure)")
        }
        guard date > Date() else { throw ValidationError("WHEN is in the past: \(parser.describe(date))") }
        let id = id
        let json = json
        options.run { context in
            await WriteRun.send(.reminder(date: date), to: id, context: context, json: json, done: "reminder set for \(parser.describe(date))")
        }
    }
}

/// `ventia transfer ID AGENT`.
struct TransferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer", abstract: "Transfer a contact to another agent.")

    @OptionGroup var options: CommandOptions
    @Argument(help: "The contact's id.") var id: String
    @Argument(help: "The agent: a user's name, email or id.") var agent: String
    @Flag(help: "Print the transfer the server stored, as JSON.") var json = false

    func run() throws {
        let id = id
        let agent = agent
        let json = json
        options.run { context in
            let users = await context.allPages(.listUsers, as: User.self, doing: "listing users").map(\.value)
            let user = WriteRun.user(agent, among: users, context: context)
            await WriteRun.send(.transfer(to: user.id), to: id, context: context, json: json, done: "transferred to \(user.fullName)")
        }
    }
}

/// `ventia archive ID REASON`.
struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "archive", abstract: "Archive a contact with a reason.")

    @OptionGroup var options: CommandOptions
    @Argument(help: "The contact's id.") var id: String
    @Argument(help: "One of the account's active archiving reasons: its code or its name.") var reason: String
    @Flag(help: "Print the archiving the server stored, as JSON.") var json = false

    func run() throws {
        let id = id
        let reason = reason
        let json = json
        options.run { context in
            let groups = await context.get(.listGroups, as: [Group].self, doing: "reading the account's configuration")
            let reasons = groups.first?.activeArchivingReasons ?? []
            let folded = TextFolding.fold(reason)
            guard let chosen = reasons.first(where: { $0.code == reason || TextFolding.fold($0.name) == folded }) else {
                context.say("no active archiving reason is \"\(reason.prefix(40))\" (choose: \(reasons.map { "\($0.code) (\($0.name))" }.joined(separator: ", ")))")
                context.exit(.usage)
            }
            await WriteRun.send(.archive(reason: chosen.code), to: id, context: context, json: json, done: "archived: \(chosen.name)")
        }
    }
}

/// What the write commands share: naming a user, sending through the outbox, saying what happened.
@MainActor
enum WriteRun {
    /// The user `text` names (id, email, or full name, accents and case aside); else the command
    /// ends with 64 and the choices.
    static func user(_ text: String, among users: [User], context: CommandContext) -> User {
        if let user = User.named(text, among: users) { return user }
        context.say("no user is \"\(text.prefix(40))\" (choose: \(users.map(\.fullName).joined(separator: ", ")))")
        context.exit(.usage)
    }

    /// Sends `write` for the contact; prints what the server stored (`--json`) or one line.
    static func send(_ write: OutboxWrite, to contactId: String, context: CommandContext, json: Bool, done: String) async {
        let name = context.account.mirror.flatMap { try? $0.contact(id: contactId) }?.fullName ?? ""
        let answer = await context.send(write, contactId: contactId, name: name, doing: "\(write.kind) for \(name.isEmpty ? contactId : name)")
        if json {
            switch answer {
            case .interaction(let interaction)?: context.output(((try? VentiaJSON.encoder().encode(interaction)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n")
            case .contact(let contact)?: context.output(((try? VentiaJSON.encoder().encode(contact)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n")
            case .json(let value)?: context.output(Listing.json(value))
            case nil: context.output("null\n")
            }
        } else {
            context.output("\(contactId): \(done)\n")
        }
    }
}
