import Foundation

/// The topics a webhook can subscribe to.
public enum WebhookTopic {
    public static let officialWhatsApp = "interactions.official_whatsapp"
    public static let officialWhatsAppStatuses = "interactions.official_whatsapp_statuses"
    public static let all = [officialWhatsApp, officialWhatsAppStatuses]
}

/// A webhook of the account: where the server posts which topics.
public struct Webhook: Sendable, Equatable, Identifiable, Decodable {
    public var id: String
    public var name: String
    public var topics: [String]
    public var active: Bool
    public var callbackUrl: String?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case name, topics, active, callbackUrl
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name, default: "")
        topics = try c.decode([String].self, forKey: .topics, default: [])
        active = try c.decode(Bool.self, forKey: .active, default: false)
        callbackUrl = try c.decodeIfPresent(String.self, forKey: .callbackUrl)
    }
}

/// The body of `POST /webhook`: every field of a new webhook.
public struct WebhookInput: Sendable, Equatable, Encodable {
    public var active: Bool
    public var name: String
    public var callbackUrl: String
    public var topics: [String]

    public init(active: Bool, name: String, callbackUrl: String, topics: [String]) {
        self.active = active
        self.name = name
        self.callbackUrl = callbackUrl
        self.topics = topics
    }
}

/// The body of `PATCH /webhook/{id}`: the fields to change; a nil field is left out.
public struct WebhookPatch: Sendable, Equatable, Encodable {
    public var active: Bool?
    public var name: String?
    public var callbackUrl: String?
    public var topics: [String]?

    public init(active: Bool? = nil, name: String? = nil, callbackUrl: String? = nil, topics: [String]? = nil) {
        self.active = active
        self.name = name
        self.callbackUrl = callbackUrl
        self.topics = topics
    }
}

/// `{"success": true, "result": [Webhook], "paging": {"totalCount"}}`
public struct WebhookList: Sendable, Equatable, Decodable {
    public var webhooks: [Webhook]
    public var totalCount: Int

    enum CodingKeys: String, CodingKey { case result, paging }
    enum PagingKeys: String, CodingKey { case totalCount }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        webhooks = try c.decode([Webhook].self, forKey: .result)
        if c.contains(.paging) {
            totalCount = try c.nestedContainer(keyedBy: PagingKeys.self, forKey: .paging)
                .decode(Int.self, forKey: .totalCount, default: webhooks.count)
        } else {
            totalCount = webhooks.count
        }
    }
}

/// `{"success": true, "result": Webhook}`
public struct WebhookEnvelope: Sendable, Equatable, Decodable {
    public var result: Webhook
}

/// `{"success": true, "id"}`
public struct WebhookCreated: Sendable, Equatable, Decodable {
    public var id: String
}

/// `{"success": true}` and nothing else worth keeping.
public struct SuccessAnswer: Sendable, Equatable, Decodable {
    public var success: Bool

    enum CodingKeys: String, CodingKey { case success }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        success = try c.decode(Bool.self, forKey: .success, default: true)
    }
}
