import Foundation

/// What a listing shows of a contact: the fields `ventia contacts list` writes, which the mirror
/// also keeps in columns so that a listing of 100,000 contacts need not decode each one's JSON.
public struct ContactSummary: Sendable, Equatable {
    public var id: String
    public var firstName: String
    public var lastName: String
    public var phones: [String]
    public var emails: [String]
    public var status: String?
    public var agent: String?
    public var agentFullName: String?
    public var origin: String?
    public var reminder: Date?
    public var lastInteraction: Date?
    public var createdAt: Date?
    public var updatedAt: Date?

    public init(
        id: String, firstName: String, lastName: String, phones: [String], emails: [String], status: String?, agent: String?,
        agentFullName: String?, origin: String?, reminder: Date?, lastInteraction: Date?, createdAt: Date?, updatedAt: Date?
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.phones = phones
        self.emails = emails
        self.status = status
        self.agent = agent
        self.agentFullName = agentFullName
        self.origin = origin
        self.reminder = reminder
        self.lastInteraction = lastInteraction
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public init(_ contact: Contact) {
        self.init(
            id: contact.id, firstName: contact.firstName, lastName: contact.lastName, phones: contact.phones, emails: contact.emails,
            status: contact.status, agent: contact.agent, agentFullName: contact.agentFullName, origin: contact.origin,
            reminder: contact.reminder, lastInteraction: contact.lastInteraction, createdAt: contact.createdAt, updatedAt: contact.updatedAt)
    }

    public var fullName: String { Contact.fullName(firstName: firstName, lastName: lastName) }
}
