import Foundation
import GRDB
import VentiaAPI

/// A write the user made, as the outbox keeps it until the server has it.
public enum OutboxWrite: Sendable, Equatable, Codable {
    case note(body: String)
    case reminder(date: Date)
    case transfer(to: String)
    case archive(reason: String)
    /// A PUT of the six contact fields: sending it twice is harmless.
    case edit(ContactInput)
    /// A new contact (its record has no contact id until the server answers).
    case create(ContactInput)
    /// A campaign lead: the server creates a contact or matches an existing one.
    case lead(ContactInput, agent: String)
    /// A supervisor's write on a user or a sale, kept as the request it is.
    case admin(AdminWrite)

    /// `note`, `reminder`…: what the `:outbox` list and the logs call it.
    public var kind: String {
        switch self {
        case .note: "note"
        case .reminder: "reminder"
        case .transfer: "transfer"
        case .archive: "archive"
        case .edit: "edit"
        case .create: "create"
        case .lead: "lead"
        case .admin(let write): write.kind
        }
    }
}

/// A user or sale write as the request it sends: endpoint, path, the JSON body as sent, and how
/// to tell, after an ambiguous failure, whether it took effect.
public struct AdminWrite: Sendable, Equatable, Codable {
    public enum Check: Sendable, Equatable, Codable {
        /// A PATCH or a PUT: sending it again changes nothing more.
        case resend
        /// A new user: one with this email exists now.
        case userWithEmail(String)
        /// A new sale sent by POST (kept by an earlier version; new sales are upserted under an id
        /// of their own and simply sent again): one with this ticket and phone created since the attempt.
        case saleWithTicket(String, phone: String)
        /// A new sale upserted under an id of the client's: a sale with this id exists now.
        case saleWithId(String)
        /// A new webhook: one with this name (and this callback URL, where the list shows it) made
        /// since the attempt.
        case webhookNamed(String, url: String)
        /// A webhook update: the webhook already shows the fields the reference's answers show
        /// (name, active, topics; not the callback URL). Sent again when it does not.
        case webhookShows(id: String, name: String?, active: Bool?, topics: [String]?)
        /// A WhatsApp message: the contact's timeline holds an outbound one with this summary
        /// written since the attempt.
        case whatsAppSent(contactId: String, summary: String)
    }

    public var endpoint: Endpoint
    public var path: [String]
    public var body: Data
    /// `New user ana@example.com`, `Sale T-10023`: how `:outbox` names it.
    public var label: String
    public var check: Check

    public init(endpoint: Endpoint, path: [String] = [], body: Data, label: String, check: Check) {
        self.endpoint = endpoint
        self.path = path
        self.body = body
        self.label = label
        self.check = check
    }

    public var kind: String {
        switch endpoint {
        case .createUser: "user"
        case .updateUser, .replaceUser: "user edit"
        case .createSale: "sale"
        case .createWebhook: "webhook"
        case .sendWhatsAppMessage: "WhatsApp message"
        case .updateWebhook: "webhook edit"
        default: "sale edit"
        }
    }

    /// A new user's body holds its password: such a write waits in memory, never on disk.
    public var mayBeKept: Bool { endpoint != .createUser }
}

/// One write in the outbox and where it stands.
public struct OutboxRecord: Sendable, Equatable, Identifiable {
    public enum State: String, Sendable, Codable {
        /// Not sent yet (or sent and refused with a 429): it goes when the scheduler lets it.
        case queued
        /// Sent, no answer recorded: after a crash or a lost answer it is checked before any resend.
        case sending
        /// The server refused it (4xx): it waits for the user to fix, retry or discard it.
        case failed
    }

    public var id: String
    public var contactId: String
    /// The contact's name when it was written, for the `:outbox` list.
    public var contactName: String
    public var write: OutboxWrite
    public var state: State
    public var attempts: Int
    /// When the last attempt went out: a check for an ambiguous failure looks after it.
    public var lastAttemptAt: Date?
    /// The server's refusal, with its field errors.
    public var failure: String?
    public var fieldErrors: [FieldError]
    public var createdAt: Date

    public init(
        id: String = UUID().uuidString, contactId: String, contactName: String, write: OutboxWrite, state: State = .queued, attempts: Int = 0,
        lastAttemptAt: Date? = nil, failure: String? = nil, fieldErrors: [FieldError] = [], createdAt: Date
    ) {
        self.id = id
        self.contactId = contactId
        self.contactName = contactName
        self.write = write
        self.state = state
        self.attempts = attempts
        self.lastAttemptAt = lastAttemptAt
        self.failure = failure
        self.fieldErrors = fieldErrors
        self.createdAt = createdAt
    }
}

extension ContactMirror {
    /// Every write not yet acknowledged, oldest first.
    public func outbox() throws(MirrorError) -> [OutboxRecord] {
        try read("read the outbox") { db in
            let decoder = JSONDecoder()
            return try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY position").compactMap { row -> OutboxRecord? in
                guard let write = try? decoder.decode(OutboxWrite.self, from: row["payload"] as Data),
                    let state = OutboxRecord.State(rawValue: row["state"])
                else { return nil }
                let errors = (row["fieldErrors"] as Data?).flatMap { try? decoder.decode([FieldError].self, from: $0) } ?? []
                return OutboxRecord(
                    id: row["id"], contactId: row["contactId"], contactName: row["contactName"], write: write, state: state, attempts: row["attempts"],
                    lastAttemptAt: (row["lastAttemptAt"] as Double?).map { Date(timeIntervalSince1970: $0) }, failure: row["failure"],
                    fieldErrors: errors, createdAt: Date(timeIntervalSince1970: row["createdAt"]))
            }
        }
    }

    /// Writes (or rewrites) an entry; committed before the caller sends anything. A new user's
    /// (its password) is not written.
    public func keep(_ record: OutboxRecord) throws(MirrorError) {
        if case .admin(let admin) = record.write, !admin.mayBeKept { return }
        try write("keep a write in the outbox") { db in
            let encoder = JSONEncoder()
            try db.execute(
                sql: """
                    INSERT INTO outbox (id, position, contactId, contactName, kind, payload, state, attempts, lastAttemptAt, failure, fieldErrors, createdAt)
                    VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM outbox), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET payload = excluded.payload, state = excluded.state, attempts = excluded.attempts,
                        lastAttemptAt = excluded.lastAttemptAt, failure = excluded.failure, fieldErrors = excluded.fieldErrors
                    """,
                arguments: [
                    record.id, record.contactId, record.contactName, record.write.kind, try encoder.encode(record.write), record.state.rawValue,
                    record.attempts, record.lastAttemptAt?.timeIntervalSince1970, record.failure,
                    record.fieldErrors.isEmpty ? nil : try encoder.encode(record.fieldErrors), record.createdAt.timeIntervalSince1970,
                ])
        }
    }

    /// Drops an entry: the server has it, or the user discarded it.
    public func forget(outbox id: String) throws(MirrorError) {
        try write("remove a write from the outbox") { db in try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [id]) }
    }
}
