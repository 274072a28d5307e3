import Foundation
import VentiaAPI

/// An account (a company): its keys share one rate budget and see only its own data.
struct AccountRecord: Codable, Sendable {
    var id: String
    var name: String
    var keys: [String]
    /// The account's root group; keys act for it and its descendants.
    var groupId: String
    var saleStatuses: [String]
    var channelIds: [String]
    var leadFormCodes: [String]
}

struct GroupRecord: Codable, Sendable {
    struct Option: Codable, Sendable {
        var id: String
        var name: String
        var code: String
        var active: Bool
        var type: String?
        var ghost: Bool?
    }

    struct DataField: Codable, Sendable {
        var id: String
        var name: String
        var code: String
        var type: String
        var active: Bool
        var required: Bool
        var options: [String]
    }

    var id: String
    var accountId: String
    var name: String
    var displayName: String
    var businessName: String
    var country: String
    var parentId: String?
    var archivingReasons: [Option]
    var origins: [Option]
    var visitResults: [Option]
    var additionalDataFields: [DataField]
    var statusTags: [Option]
}

struct UserRecord: Codable, Sendable {
    var id: String
    var accountId: String
    var groupId: String
    var name: String
    var lastname: String
    var email: String
    var passwordDigest: String
    var phoneWork: String?
    var roles: [String]
    var active: Bool
    var firstLoginAt: Date?

    var fullName: String { "\(name) \(lastname)" }
}

struct ContactRecord: Codable, Sendable {
    var id: String
    var accountId: String
    var firstName: String
    var lastName: String
    var origin: String
    var phones: [String]
    var emails: [String]
    var detail: String
    var agent: String?
    var firstAgent: String?
    var agentAssigned: Date?
    var archivingReason: String
    var status: String
    var attention: String
    var reminder: Date?
    var channels: [String]
    var visits: Int
    var createdAt: Date
    var updatedAt: Date
    var lastInteraction: Date
    var version: Int
}

struct InteractionRecord: Codable, Sendable {
    var id: String
    var accountId: String
    var contactId: String
    var agent: String?
    var type: String
    var content: JSONValue
    var via: String
    var createdAt: Date
    /// Arrival order across the store: a timeline lists newest first by it. Not in JSON files,
    /// which keep each timeline as an array in this order.
    var seq = 0

    enum CodingKeys: String, CodingKey {
        case id, accountId, contactId, agent, type, content, via, createdAt
    }
}

struct SaleRecord: Codable, Sendable {
    var id: String
    var accountId: String
    var ticketId: String
    var ticketSaleId: String?
    var date: Date?
    var dateSale: Date?
    var name: String?
    var phone: String
    var govId: String?
    var type: String?
    var product: String?
    var status: String
    var lock: Bool
    var user: String
    var importation: String
    var value: Double
    /// `remove_from_goal`: the sale does not count toward a goal.
    var removeFromGoal = false
    var createdAt: Date
    var updatedAt: Date
    var version: Int
}

struct WebhookRecord: Codable, Sendable {
    var id: String
    var accountId: String
    var name: String
    var callbackUrl: String
    var topics: [String]
    var active: Bool
    var createdAt: Date
}

struct LeadEntryRecord: Codable, Sendable {
    var id: String
    var accountId: String
    var formCode: String
    var firstName: String?
    var lastName: String
    var phones: [String]
    var emails: [String]
    var detail: String
    var actionId: String?
    var additionalData: [String: JSONValue]
    var createdAt: Date
}

/// Everything the local server knows, as one value: the shape of the JSON data files written
/// before the store moved to SQLite (imported once), and of a snapshot of the database.
struct StoreState: Codable, Sendable {
    var formatVersion = 1
    var accounts: [AccountRecord] = []
    var groups: [String: GroupRecord] = [:]
    var users: [String: UserRecord] = [:]
    var contacts: [String: ContactRecord] = [:]
    /// Per contact, oldest first.
    var interactions: [String: [InteractionRecord]] = [:]
    var sales: [String: SaleRecord] = [:]
    var webhooks: [String: WebhookRecord] = [:]
    var leadEntries: [LeadEntryRecord] = []
    var idCounter: UInt64 = 0
}
