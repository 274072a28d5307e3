import Foundation

/// A company group and its CRM configuration.
public struct Group: Sendable, Equatable, Identifiable, Decodable {
    public var id: String
    public var name: String
    public var displayName: String?
    public var businessName: String?
    public var country: String?
    public var descendants: [String]
    public var ancestors: [String]
    public var archivingReasons: [ArchivingReason]
    public var origins: [ContactOrigin]
    public var visitResults: [VisitResult]
    public var additionalDataFields: [AdditionalDataField]
    public var statusTags: [StatusTag]

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case name, displayName, businessName, country, descendants, ancestors
        case archivingReasons, origins, visitResults, additionalDataFields, statusTags
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name, default: "")
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        businessName = try c.decodeIfPresent(String.self, forKey: .businessName)
        country = try c.decodeIfPresent(String.self, forKey: .country)
        descendants = try c.decode([String].self, forKey: .descendants, default: [])
        ancestors = try c.decode([String].self, forKey: .ancestors, default: [])
        archivingReasons = try c.decode([ArchivingReason].self, forKey: .archivingReasons, default: [])
        origins = try c.decode([ContactOrigin].self, forKey: .origins, default: [])
        visitResults = try c.decode([VisitResult].self, forKey: .visitResults, default: [])
        additionalDataFields = try c.decode([AdditionalDataField].self, forKey: .additionalDataFields, default: [])
        statusTags = try c.decode([StatusTag].self, forKey: .statusTags, default: [])
    }

    /// The reasons a contact can be archived with now.
    public var activeArchivingReasons: [ArchivingReason] { archivingReasons.filter(\.active) }
}

/// A reason a contact can be archived for, from the company configuration.
public struct ArchivingReason: Sendable, Equatable, Decodable {
    public var id: String?
    public var name: String
    public var code: String
    public var active: Bool
    public var type: String?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case name, code, active, type
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        code = try c.decode(String.self, forKey: .code)
        name = try c.decode(String.self, forKey: .name, default: code)
        active = try c.decode(Bool.self, forKey: .active, default: true)
        type = try c.decodeIfPresent(String.self, forKey: .type)
    }
}

/// Where a contact can come from (web, phone…), from the company configuration.
public struct ContactOrigin: Sendable, Equatable, Decodable {
    public var id: String?
    public var name: String
    public var code: String
    public var active: Bool
    public var ghost: Bool

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case name, code, active, ghost
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        code = try c.decode(String.self, forKey: .code)
        name = try c.decode(String.self, forKey: .name, default: code)
        active = try c.decode(Bool.self, forKey: .active, default: true)
        ghost = try c.decode(Bool.self, forKey: .ghost, default: false)
    }
}

/// A result a visit can be recorded with, from the company configuration.
public struct VisitResult: Sendable, Equatable, Decodable {
    public var id: String?
    public var name: String
    public var code: String
    public var type: String?
    public var active: Bool
    public var ghost: Bool
    public var group: String?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case name, code, type, active, ghost, group
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        code = try c.decode(String.self, forKey: .code)
        name = try c.decode(String.self, forKey: .name, default: code)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        active = try c.decode(Bool.self, forKey: .active, default: true)
        ghost = try c.decode(Bool.self, forKey: .ghost, default: false)
        group = try c.decodeIfPresent(String.self, forKey: .group)
    }
}

/// An extra field the company asks of its contacts, from the company configuration.
public struct AdditionalDataField: Sendable, Equatable, Decodable {
    public var id: String?
    public var name: String
    public var code: String
    public var type: String
    public var active: Bool
    public var required: Bool
    public var ghost: Bool
    public var group: String?
    public var options: [JSONValue]

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case name, code, type, active, required, ghost, group, options
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        code = try c.decode(String.self, forKey: .code)
        name = try c.decode(String.self, forKey: .name, default: code)
        type = try c.decode(String.self, forKey: .type, default: "string")
        active = try c.decode(Bool.self, forKey: .active, default: true)
        required = try c.decode(Bool.self, forKey: .required, default: false)
        ghost = try c.decode(Bool.self, forKey: .ghost, default: false)
        group = try c.decodeIfPresent(String.self, forKey: .group)
        options = try c.decode([JSONValue].self, forKey: .options, default: [])
    }
}

/// A status tag. The reference only ever shows an empty list, so every field is optional.
public struct StatusTag: Sendable, Equatable, Decodable {
    public var id: String?
    public var name: String?
    public var code: String?
    public var color: String?
    public var active: Bool?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case name, code, color, active
    }

    public init(from decoder: any Decoder) throws {
        // A bare string tag is accepted as its name.
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            name = text
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        code = try c.decodeIfPresent(String.self, forKey: .code)
        color = try c.decodeIfPresent(String.self, forKey: .color)
        active = try c.decodeIfPresent(Bool.self, forKey: .active)
    }

    public var label: String { name ?? code ?? id ?? "?" }
}
