import Foundation

/// One entry of a contact's timeline. Its `content` depends on its `type`.
public struct Interaction: Sendable, Equatable, Identifiable, Codable {
    public var id: String
    public var type: String
    public var content: InteractionContent
    public var company: String?
    public var agent: String?
    public var contact: String?
    public var status: String?
    public var via: String?
    public var createdAt: Date?
    public var updatedAt: Date?
    public var version: Int?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case type, content, company, agent, contact, status, via, createdAt, updatedAt
        case version = "__v"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        type = try c.decode(String.self, forKey: .type)
        company = try c.decodeIfPresent(String.self, forKey: .company)
        agent = try c.decodeIfPresent(String.self, forKey: .agent)
        contact = try c.decodeIfPresent(String.self, forKey: .contact)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        via = try c.decodeIfPresent(String.self, forKey: .via)
        createdAt = try c.decodeIfPresent(Date.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(Date.self, forKey: .updatedAt)
        version = try c.decodeIfPresent(Int.self, forKey: .version)
        content = try InteractionContent(type: type, container: c, key: .content)
    }

    /// The answer's shape again: what the local mirror keeps of a timeline.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encodeIfPresent(company, forKey: .company)
        try c.encodeIfPresent(agent, forKey: .agent)
        try c.encodeIfPresent(contact, forKey: .contact)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(via, forKey: .via)
        try c.encodeIfPresent(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(version, forKey: .version)
        try content.encode(into: &c, key: .content)
    }
}

/// The kinds of interaction a timeline holds, as the API names them in `type`.
public enum InteractionKind: String, Sendable, CaseIterable {
    case note
    case reminder
    case archiving
    case transfer
    case officialWhatsApp = "official_whatsapp"
}

/// What an interaction says, by type.
public enum InteractionContent: Sendable, Equatable {
    case note(body: String)
    case reminder(date: Date?)
    case archiving(from: String, to: String)
    case transfer(fromUser: String, toUser: String)
    case whatsApp(WhatsAppEntry)
    /// A type this client does not know yet: kept as it came.
    case other(JSONValue)

    enum NoteKeys: String, CodingKey { case body }
    enum ReminderKeys: String, CodingKey { case reminderDate }
    enum ArchivingKeys: String, CodingKey { case from, to }
    enum TransferKeys: String, CodingKey { case fromUser, toUser }

    func encode<Key: CodingKey>(into container: inout KeyedEncodingContainer<Key>, key: Key) throws {
        switch self {
        case .note(let body):
            var c = container.nestedContainer(keyedBy: NoteKeys.self, forKey: key)
            try c.encode(body, forKey: .body)
        case .reminder(let date):
            var c = container.nestedContainer(keyedBy: ReminderKeys.self, forKey: key)
            try c.encodeIfPresent(date, forKey: .reminderDate)
        case .archiving(let from, let to):
            var c = container.nestedContainer(keyedBy: ArchivingKeys.self, forKey: key)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
        case .transfer(let fromUser, let toUser):
            var c = container.nestedContainer(keyedBy: TransferKeys.self, forKey: key)
            try c.encode(fromUser, forKey: .fromUser)
            try c.encode(toUser, forKey: .toUser)
        case .whatsApp(let entry): try container.encode(entry.raw, forKey: key)
        case .other(let value): try container.encode(value, forKey: key)
        }
    }

    init<Key: CodingKey>(type: String, container: KeyedDecodingContainer<Key>, key: Key) throws {
        switch InteractionKind(rawValue: type) {
        case .note:
            let c = try container.nestedContainer(keyedBy: NoteKeys.self, forKey: key)
            self = .note(body: try c.decode(String.self, forKey: .body))
        case .reminder:
            if try !container.contains(key) || container.decodeNil(forKey: key) {
                self = .reminder(date: nil)
            } else {
                let c = try container.nestedContainer(keyedBy: ReminderKeys.self, forKey: key)
                self = .reminder(date: try c.decodeIfPresent(Date.self, forKey: .reminderDate))
            }
        case .archiving:
            let c = try container.nestedContainer(keyedBy: ArchivingKeys.self, forKey: key)
            self = .archiving(
                from: try c.decode(String.self, forKey: .from, default: ""),
                to: try c.decode(String.self, forKey: .to, default: ""))
        case .transfer:
            let c = try container.nestedContainer(keyedBy: TransferKeys.self, forKey: key)
            self = .transfer(
                fromUser: try c.decode(String.self, forKey: .fromUser, default: ""),
                toUser: try c.decode(String.self, forKey: .toUser))
        case .officialWhatsApp:
            self = .whatsApp(try container.decode(WhatsAppEntry.self, forKey: key))
        case nil:
            self = .other(try container.decode(JSONValue.self, forKey: key, default: .null))
        }
    }
}

/// A WhatsApp message as it stands in a timeline: its direction and the message itself.
public struct WhatsAppEntry: Sendable, Equatable, Decodable {
    /// Whether the customer sent the message (inbound) or the company did (outbound).
    public enum Direction: String, Sendable, Decodable {
        case inbound, outbound
    }

    public var direction: Direction?
    public var messageId: String?
    /// Nil when the message is of a type this client cannot read; `raw` still holds it.
    public var message: WhatsAppMessage?
    public var raw: JSONValue

    enum CodingKeys: String, CodingKey {
        case direction
        case messageId = "id"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        direction = try? c.decodeIfPresent(Direction.self, forKey: .direction)
        messageId = try? c.decodeIfPresent(String.self, forKey: .messageId)
        message = try? WhatsAppMessage(from: decoder)
        raw = try JSONValue(from: decoder)
    }
}

/// The body of a new note.
public struct NoteInput: Sendable, Equatable, Codable {
    public var body: String
    public init(body: String) { self.body = body }
}

/// The body of `POST /contact/{id}/archive`: the reason's id.
public struct ArchiveInput: Sendable, Equatable, Codable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}

/// The body of `POST /contact/{id}/transfer`: the id of the user who gets the contact.
public struct TransferInput: Sendable, Equatable, Codable {
    public var to: String
    public init(to: String) { self.to = to }
}

/// The body of `POST /contact/{id}/reminder`: when to be reminded.
public struct ReminderInput: Sendable, Equatable, Encodable {
    public var reminderDate: Date
    public init(reminderDate: Date) { self.reminderDate = reminderDate }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(VentiaDate.format(reminderDate), forKey: .reminderDate)
    }

    enum CodingKeys: String, CodingKey { case reminderDate }
}

/// The envelopes the write endpoints wrap their interaction in.
public struct NoteCreated: Sendable, Equatable, Decodable { public var note: Interaction }
/// The answer to `POST /contact/{id}/archive`: the archiving interaction.
public struct ContactArchived: Sendable, Equatable, Decodable { public var archive: Interaction }
/// The answer to `POST /contact/{id}/transfer`: the transfer interaction.
public struct ContactTransferred: Sendable, Equatable, Decodable { public var transfer: Interaction }
/// The answer to `POST /contact/{id}/reminder`: the reminder, with the server's message.
public struct ReminderCreated: Sendable, Equatable, Decodable {
    public var message: String?
    public var reminder: Interaction
}
