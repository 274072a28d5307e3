import Foundation
import TextSearch
import VentiaAPI
import VentiaMirror
import VentiaCore

/// What became of one row of an import file.
public struct LeadImportOutcome: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A new contact.
        case created
        /// Its phone or email matched an existing contact: the server added a note for its agent.
        case matched
        /// The server refused it.
        case refused
        /// Not sent: it cannot be read or checked (the reason says why).
        case skipped
        /// Checked and ready (a dry run sends nothing).
        case ready
        /// Sent, but no answer came: kept in the outbox, checked on the next start.
        case unconfirmed
    }

    public var line: Int
    public var kind: Kind
    public var name: String
    public var contactId: String
    public var detail: String

    public static let columns = ["line", "outcome", "contactId", "name", "detail"]

    public init(line: Int, kind: Kind, name: String, contactId: String, detail: String) {
        self.line = line
        self.kind = kind
        self.name = name
        self.contactId = contactId
        self.detail = detail
    }
}

/// `ventia lead import`: every row checked first (columns, phones, emails, origin, agent), then
/// sent as campaign leads through the outbox, paced by the rate budget, with a report per row.
@MainActor
public struct LeadImport {
    public let context: CommandContext
    public let defaultAgent: String?
    public let defaultOrigin: String?

    public init(context: CommandContext, defaultAgent: String?, defaultOrigin: String?) {
        self.context = context
        self.defaultAgent = defaultAgent
        self.defaultOrigin = defaultOrigin
    }

    /// A checked row: the lead to send.
    public struct Ready: Sendable {
        public var line: Int
        public var input: ContactInput
        public var agent: User
    }

    /// Reads and checks `text`: the rows ready to send and the outcomes of those skipped.
    public func check(_ text: String, users: [User], group: Group?) -> (ready: [Ready], skipped: [LeadImportOutcome]) {
        var skipped: [LeadImportOutcome] = []
        let origins = group?.origins ?? []
        func skip(_ line: Int, _ name: String, _ reason: String) {
            skipped.append(LeadImportOutcome(line: line, kind: .skipped, name: name, contactId: "", detail: reason))
        }
        // --origin names one of the account's origins (code or name); without it, the first.
        var fileOrigin = origins.first?.code
        if let defaultOrigin {
            fileOrigin = Self.origin(defaultOrigin, in: origins)
            if fileOrigin == nil {
                context.say("--origin: no origin is \"\(defaultOrigin.prefix(40))\" (choose: \(origins.map { "\($0.code) (\($0.name))" }.joined(separator: ", ")))")
                context.exit(.usage)
            }
        }
        let parsed: (rows: [LeadRow], problems: [LeadRowProblem])
        switch LeadImportFile.read(text, origin: fileOrigin) {
        case .success(let read): parsed = read
        case .failure(let failure):
            context.say(failure.description)
            context.exit(.badInput)
        }
        for problem in parsed.problems { skip(problem.line, problem.name, problem.message) }
        let waiting = Set(context.account.outbox.entries.compactMap { record -> String? in
            if case .lead(let input, let agent) = record.write { return Self.key(input, agent) }
            return nil
        })
        var ready: [Ready] = []
        for row in parsed.rows {
            let name = [row.input.firstName, row.input.lastName].filter { !$0.isEmpty }.joined(separator: " ")
            var input = row.input
            if !origins.isEmpty {
                guard let code = Self.origin(input.origin, in: origins) else {
                    skip(row.line, name, "origin \"\(input.origin.prefix(40))\" is not one of the account's (\(origins.map(\.code).joined(separator: ", ")))")
                    continue
                }
                input.origin = code
            } else if input.origin.isEmpty {
                skip(row.line, name, "no origin: add an origin column or --origin")
                continue
            }
            guard let agentText = row.agent ?? defaultAgent else {
                skip(row.line, name, "no agent: add an agent column or --agent")
                continue
            }
            guard let agent = User.named(agentText, among: users) else {
                let choices = users.prefix(8).map(\.fullName).joined(separator: ", ") + (users.count > 8 ? ", …" : "")
                skip(row.line, name, "no user is \"\(agentText.prefix(40))\" (choose: \(choices))")
                continue
            }
            if waiting.contains(Self.key(input, agent.id)) {
                skip(row.line, name, "already waits in the outbox from an earlier run (ventia sends it at its next start): not sent twice")
                continue
            }
            ready.append(Ready(line: row.line, input: input, agent: agent))
        }
        return (ready, skipped)
    }

    /// Sends the rows through the outbox (a few at a time, within the budget) and reports each.
    /// When the server stays unreachable longer than `--max-wait`, what is unsent is taken back.
    public func send(_ ready: [Ready]) async -> [LeadImportOutcome] {
        let outbox = context.account.outbox
        var rowById: [String: (Ready, Date)] = [:]
        var ids: [String] = []
        for row in ready {
            let name = [row.input.firstName, row.input.lastName].filter { !$0.isEmpty }.joined(separator: " ")
            guard let id = outbox.enqueue(.lead(row.input, agent: row.agent.id), contactId: "", contactName: name) else { continue }
            rowById[id] = (row, Date())
            ids.append(id)
        }
        var settledCount = 0
        var refusedCount = 0
        let total = ids.count
        // The server unreachable for longer than --max-wait: what is unsent is taken back.
        var offlineSince: Date?
        let context = self.context
        let giveUp: @MainActor () -> Bool = {
            guard context.account.offline else {
                offlineSince = nil
                return false
            }
            let since = offlineSince ?? Date()
            offlineSince = since
            guard Date().timeIntervalSince(since) >= Double(context.maxWait) else { return false }
            let withdrawn = outbox.withdraw(ids)
            context.say("the server cannot be reached: \(withdrawn.count) row\(withdrawn.count == 1 ? "" : "s") not sent")
            return true
        }
        let settlements = await context.settled(ids, within: nil, giveUp: giveUp) { _, settlement in
            settledCount += 1
            if case .refused = settlement { refusedCount += 1 }
            context.progress("importing: \(settledCount)/\(total) sent" + (refusedCount > 0 ? " · \(refusedCount) refused" : "") + " · " + context.client.rateBudget.snapshot().statusText)
        }
        return ids.compactMap { id in
            guard let (row, sentAt) = rowById[id] else { return nil }
            let name = [row.input.firstName, row.input.lastName].filter { !$0.isEmpty }.joined(separator: " ")
            switch settlements[id] {
            case .delivered(.contact(let contact))?:
                let existing = contact.createdAt.map { $0 < sentAt.addingTimeInterval(-5) } ?? false
                return LeadImportOutcome(
                    line: row.line, kind: existing ? .matched : .created, name: contact.fullName.isEmpty ? name : contact.fullName, contactId: contact.id,
                    detail: existing ? "an existing contact: a note was added for its agent" : "for \(row.agent.fullName)")
            case .delivered?:
                return LeadImportOutcome(line: row.line, kind: .created, name: name, contactId: "", detail: "sent (the answer could not be read)")
            case .refused(let error)?:
                outbox.discard(id)  // reported here, not left in :outbox
                let fields = error.fieldErrors.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
                return LeadImportOutcome(line: row.line, kind: .refused, name: name, contactId: "", detail: fields.isEmpty ? error.description : fields)
            case .withdrawn?:
                return LeadImportOutcome(line: row.line, kind: .skipped, name: name, contactId: "", detail: "not sent: the server could not be reached")
            case nil:
                return LeadImportOutcome(
                    line: row.line, kind: .unconfirmed, name: name, contactId: "", detail: "no answer: kept in the outbox, checked at the next start of ventia")
            }
        }
    }

    static func key(_ input: ContactInput, _ agent: String) -> String {
        [input.firstName, input.lastName, input.phones.joined(separator: ";"), input.emails.joined(separator: ";"), input.detail, agent].joined(separator: "\u{1F}")
    }

    static func origin(_ text: String, in origins: [ContactOrigin]) -> String? {
        let folded = TextFolding.fold(text)
        return origins.first { $0.code == text || TextFolding.fold($0.name) == folded || TextFolding.fold($0.code) == folded }?.code
    }

    /// The report as a table (`--csv`, the text listing).
    public static func report(_ outcomes: [LeadImportOutcome]) -> RecordTable {
        RecordTable(columns: LeadImportOutcome.columns, rows: outcomes.sorted { $0.line < $1.line }.map { [String($0.line), $0.kind.rawValue, $0.contactId, $0.name, $0.detail] })
    }

    /// The report as JSON objects with the same names as the CSV columns.
    public static func reportJSON(_ outcomes: [LeadImportOutcome]) -> JSONValue {
        .array(outcomes.sorted { $0.line < $1.line }.map { outcome in
            .object([
                "line": .number(Double(outcome.line)), "outcome": .string(outcome.kind.rawValue), "contactId": .string(outcome.contactId),
                "name": .string(outcome.name), "detail": .string(outcome.detail),
            ])
        })
    }
}

