import Foundation

/// An entry posted to a lead-entry form.
public struct LeadEntry: Sendable, Equatable, Identifiable, Decodable {
    public var id: String
    public var firstName: String?
    public var lastName: String?
    public var phones: [String]
    public var emails: [String]
    public var detail: String?
    public var actionId: String?
    public var additionalData: [String: JSONValue]

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case firstName, lastName, phones, emails, detail
        case actionId = "action_id"
        case additionalData
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        firstName = try c.decodeIfPresent(String.self, forKey: .firstName)
        lastName = try c.decodeIfPresent(String.self, forKey: .lastName)
        phones = try c.decode([String].self, forKey: .phones, default: [])
        emails = try c.decode([String].self, forKey: .emails, default: [])
        detail = try c.decodeIfPresent(String.self, forKey: .detail)
        actionId = try c.decodeIfPresent(String.self, forKey: .actionId)
        additionalData = try c.decode([String: JSONValue].self, forKey: .additionalData, default: [:])
    }
}

/// The body of `POST /leadentry/{code}`: a person entered through a lead-entry form.
public struct LeadEntryInput: Sendable, Equatable, Encodable {
    public var firstName: String?
    public var lastName: String
    public var phones: [String]
    public var emails: [String]
    public var detail: String
    public var actionId: String?
    public var additionalData: [String: JSONValue]

    public init(
        firstName: String? = nil, lastName: String = "", phones: [String] = [], emails: [String] = [], detail: String = "",
        actionId: String? = nil, additionalData: [String: JSONValue] = [:]
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.phones = phones
        self.emails = emails
        self.detail = detail
        self.actionId = actionId
        self.additionalData = additionalData
    }

    enum CodingKeys: String, CodingKey {
        case firstName, lastName, phones, emails, detail
        case actionId = "action_id"
        case additionalData
    }
}
