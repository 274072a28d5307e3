import Foundation

/// A CRM contact. Answers differ by endpoint (see the contract's shape quirks), so all but the id
/// tolerate being absent.
public struct Contact: Sendable, Equatable, Identifiable, Codable {
    public var id: String
    public var company: String?
    public var firstName: String
    public var lastName: String
    public var origin: String?
    public var originText: String?
    public var phones: [String]
    public var emails: [String]
    public var agent: String?
    public var agentFullName: String?
    public var firstAgent: String?
    public var firstAgentFullName: String?
    public var agentAssigned: Date?
    public var archivingReason: String?
    public var archivingReasonText: String?
    public var status: String?
    public var attention: String?
    public var detail: String
    public var reminder: Date?
    public var lastInteraction: Date?
    public var createdAt: Date?
    public var updatedAt: Date?
    public var version: Int?
    public var channels: [String]
    public var assignedGroups: [String]
    public var visits: Int?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case company, firstName, lastName, origin, originText, phones, emails, agent, agentFullName
        case firstAgent, firstAgentFullName, agentAssigned, archivingReason, archivingReasonText
        case status, attention, detail, reminder, lastInteraction, createdAt, updatedAt
        case version = "__v"
        case channels, assignedGroups, stats
    }

    enum StatsKeys: String, CodingKey { case visits }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        company = try c.decodeIfPresent(String.self, forKey: .company)
        firstName = try c.decode(String.self, forKey: .firstName, default: "")
        lastName = try c.decode(String.self, forKey: .lastName, default: "")
        origin = try c.decodeIfPresent(String.self, forKey: .origin)
        originText = try c.decodeIfPresent(String.self, forKey: .originText)
        phones = try c.decode([String].self, forKey: .phones, default: [])
        emails = try c.decode([String].self, forKey: .emails, default: [])
        agent = try c.decodeIfPresent(String.self, forKey: .agent)
        agentFullName = try c.decodeIfPresent(String.self, forKey: .agentFullName)
        firstAgent = try c.decodeIfPresent(String.self, forKey: .firstAgent)
        firstAgentFullName = try c.decodeIfPresent(String.self, forKey: .firstAgentFullName)
        agentAssigned = try c.decodeIfPresent(Date.self, forKey: .agentAssigned)
        archivingReason = try c.decodeIfPresent(String.self, forKey: .archivingReason)
        archivingReasonText = try c.decodeIfPresent(String.self, forKey: .archivingReasonText)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        attention = try c.decodeIfPresent(String.self, forKey: .attention)
        detail = try c.decode(String.self, forKey: .detail, default: "")
        reminder = try c.decodeIfPresent(Date.self, forKey: .reminder)
        lastInteraction = try c.decodeIfPresent(Date.self, forKey: .lastInteraction)
        createdAt = try c.decodeIfPresent(Date.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(Date.self, forKey: .updatedAt)
        version = try c.decodeIfPresent(Int.self, forKey: .version)
        channels = try c.decode([String].self, forKey: .channels, default: [])
        assignedGroups = try c.decode([String].self, forKey: .assignedGroups, default: [])
        if c.contains(.stats), try !c.decodeNil(forKey: .stats) {
            let stats = try c.nestedContainer(keyedBy: StatsKeys.self, forKey: .stats)
            visits = try stats.decodeIfPresent(Int.self, forKey: .visits)
        } else {
            visits = nil
        }
    }

    /// The answer's shape again (`_id`, `__v`, `stats.visits`): what the local mirror keeps.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(company, forKey: .company)
        try c.encode(firstName, forKey: .firstName)
        try c.encode(lastName, forKey: .lastName)
        try c.encodeIfPresent(origin, forKey: .origin)
        try c.encodeIfPresent(originText, forKey: .originText)
        try c.encode(phones, forKey: .phones)
        try c.encode(emails, forKey: .emails)
        try c.encodeIfPresent(agent, forKey: .agent)
        try c.encodeIfPresent(agentFullName, forKey: .agentFullName)
        try c.encodeIfPresent(firstAgent, forKey: .firstAgent)
        try c.encodeIfPresent(firstAgentFullName, forKey: .firstAgentFullName)
        try c.encodeIfPresent(agentAssigned, forKey: .agentAssigned)
        try c.encodeIfPresent(archivingReason, forKey: .archivingReason)
        try c.encodeIfPresent(archivingReasonText, forKey: .archivingReasonText)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(attention, forKey: .attention)
        try c.encode(detail, forKey: .detail)
        try c.encodeIfPresent(reminder, forKey: .reminder)
        try c.encodeIfPresent(lastInteraction, forKey: .lastInteraction)
        try c.encodeIfPresent(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(version, forKey: .version)
        try c.encode(channels, forKey: .channels)
        try c.encode(assignedGroups, forKey: .assignedGroups)
        if let visits {
            var stats = c.nestedContainer(keyedBy: StatsKeys.self, forKey: .stats)
            try stats.encode(visits, forKey: .visits)
        }
    }

    public var fullName: String { Self.fullName(firstName: firstName, lastName: lastName) }

    /// First and last name, either left out when empty.
    public static func fullName(firstName: String, lastName: String) -> String {
        [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// The six fields that create or replace a contact.
public struct ContactInput: Sendable, Equatable, Codable {
    public var firstName: String
    public var lastName: String
    public var emails: [String]
    public var phones: [String]
    public var detail: String
    public var origin: String

    public init(firstName: String, lastName: String, emails: [String], phones: [String], detail: String, origin: String) {
        self.firstName = firstName
        self.lastName = lastName
        self.emails = emails
        self.phones = phones
        self.detail = detail
        self.origin = origin
    }

    public init(_ contact: Contact) {
        self.init(
            firstName: contact.firstName, lastName: contact.lastName, emails: contact.emails, phones: contact.phones,
            detail: contact.detail, origin: contact.origin ?? "")
    }
}

/// A campaign lead: the contact fields plus the agent who owns it.
public struct LeadInput: Sendable, Equatable, Codable {
    public var firstName: String
    public var lastName: String
    public var emails: [String]
    public var phones: [String]
    public var detail: String
    public var origin: String
    public var agent: String

    public init(contact: ContactInput, agent: String) {
        firstName = contact.firstName
        lastName = contact.lastName
        emails = contact.emails
        phones = contact.phones
        detail = contact.detail
        origin = contact.origin
        self.agent = agent
    }
}

/// The reference's rules for contact fields, one function a field: the forms check a field as it is
/// typed, and every contact write (create, edit, lead) checks its whole input, with the same words.
public enum ContactFieldRules {
    public static func firstName(_ value: String) -> String? {
        value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "must not be empty" : nil
    }

    public static func phones(_ values: [String]) -> String? {
        values.first { !PhoneNumber.isPlausible($0) }.map { "\"\($0)\" is not a phone number" }
    }

    public static func emails(_ values: [String]) -> String? {
        values.first { !EmailAddress.isValid($0) }.map { "\"\($0)\" is not a valid email address" }
    }

    public static func origin(_ value: String) -> String? { value.isEmpty ? "is required" : nil }

    /// A note's text (its `body`).
    public static func noteBody(_ value: String) -> String? {
        value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "must not be empty" : nil
    }

    /// Every field of `input`, as the server will check them.
    public static func check(_ input: ContactInput) -> [FieldError] {
        [("firstName", firstName(input.firstName)), ("emails", emails(input.emails)), ("phones", phones(input.phones)), ("origin", origin(input.origin))]
            .compactMap { field, message in message.map { FieldError(field: field, message: $0) } }
    }
}
