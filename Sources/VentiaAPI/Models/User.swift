import Foundation

/// A role a user may hold. Known ones are named; a role this client has not heard of is kept.
public struct UserRole: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let user = UserRole(rawValue: "user")
    public static let comercial = UserRole(rawValue: "comercial")
    public static let supervisor = UserRole(rawValue: "super")
    /// The roles the API accepts in a write.
    public static let assignable: [UserRole] = [.user, .comercial, .supervisor]

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// `firstLogin` is a boolean in the users list and a date from "get a user by id".
public enum FirstLogin: Sendable, Equatable {
    case pending(Bool)
    case date(Date)

    /// Whether the user has never logged in.
    public var isPending: Bool {
        switch self {
        case .pending(let value): return value
        case .date: return false
        }
    }
}

/// A user of the account (an agent or a supervisor), as `GET /user` lists them.
public struct User: Sendable, Equatable, Identifiable, Decodable {
    public var id: String
    public var name: String
    public var lastname: String
    public var email: String
    public var phoneWork: String?
    public var group: String?
    public var roles: [UserRole]
    public var firstLogin: FirstLogin?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case name, lastname, email
        case phoneWork = "phone_work"
        case group, roles, firstLogin
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name, default: "")
        lastname = try c.decode(String.self, forKey: .lastname, default: "")
        email = try c.decode(String.self, forKey: .email, default: "")
        phoneWork = try c.decodeIfPresent(String.self, forKey: .phoneWork)
        group = try c.decodeIfPresent(String.self, forKey: .group)
        roles = try c.decode([UserRole].self, forKey: .roles, default: [])
        if let flag = try? c.decodeIfPresent(Bool.self, forKey: .firstLogin) {
            firstLogin = .pending(flag)
        } else if let date = try c.decodeIfPresent(Date.self, forKey: .firstLogin) {
            firstLogin = .date(date)
        } else {
            firstLogin = nil
        }
    }

    public var fullName: String {
        [name, lastname].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// Creates a user.
public struct UserInput: Sendable, Equatable, Encodable {
    public var name: String
    public var lastname: String
    public var email: String
    public var password: String
    public var phoneWork: String?
    public var roles: [UserRole]

    public init(name: String, lastname: String, email: String, password: String, phoneWork: String? = nil, roles: [UserRole] = [.user]) {
        self.name = name
        self.lastname = lastname
        self.email = email
        self.password = password
        self.phoneWork = phoneWork
        self.roles = roles
    }

    enum CodingKeys: String, CodingKey {
        case name, lastname, email, password
        case phoneWork = "phone_work"
        case roles
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(lastname, forKey: .lastname)
        try c.encode(email, forKey: .email)
        try c.encode(password, forKey: .password)
        try c.encode(phoneWork, forKey: .phoneWork)  // explicit null: "no work phone"
        try c.encode(roles, forKey: .roles)
    }

    /// The reference's rules, checked before sending.
    public func validate() -> [FieldError] {
        var errors = UserFieldRules.check(name: name, lastname: lastname, email: email, roles: roles)
        if password.count < 4 { errors.append(FieldError(field: "password", message: "must be at least 4 characters")) }
        return errors
    }
}

/// A partial update: only the fields set are sent. `phoneWork: .some(nil)` clears the phone.
public struct UserPatch: Sendable, Equatable, Encodable {
    public var name: String?
    public var lastname: String?
    public var email: String?
    public var phoneWork: String??
    public var roles: [UserRole]?

    public init(name: String? = nil, lastname: String? = nil, email: String? = nil, phoneWork: String?? = nil, roles: [UserRole]? = nil) {
        self.name = name
        self.lastname = lastname
        self.email = email
        self.phoneWork = phoneWork
        self.roles = roles
    }

    public var isEmpty: Bool { name == nil && lastname == nil && email == nil && phoneWork == nil && roles == nil }

    enum CodingKeys: String, CodingKey {
        case name, lastname, email
        case phoneWork = "phone_work"
        case roles
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(lastname, forKey: .lastname)
        try c.encodeIfPresent(email, forKey: .email)
        if let phoneWork { try c.encode(phoneWork, forKey: .phoneWork) }
        try c.encodeIfPresent(roles, forKey: .roles)
    }

    public func validate() -> [FieldError] {
        UserFieldRules.check(name: name, lastname: lastname, email: email, roles: roles)
    }
}

/// A full replacement: phone and roles left out are reset (phone to null, roles to `["user"]`).
public struct UserReplacement: Sendable, Equatable, Encodable {
    public var name: String
    public var lastname: String
    public var email: String
    public var phoneWork: String?
    public var roles: [UserRole]?

    public init(name: String, lastname: String, email: String, phoneWork: String? = nil, roles: [UserRole]? = nil) {
        self.name = name
        self.lastname = lastname
        self.email = email
        self.phoneWork = phoneWork
        self.roles = roles
    }

    enum CodingKeys: String, CodingKey {
        case name, lastname, email
        case phoneWork = "phone_work"
        case roles
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(lastname, forKey: .lastname)
        try c.encode(email, forKey: .email)
        try c.encodeIfPresent(phoneWork, forKey: .phoneWork)
        try c.encodeIfPresent(roles, forKey: .roles)
    }

    public func validate() -> [FieldError] {
        UserFieldRules.check(name: name, lastname: lastname, email: email, roles: roles)
    }
}

/// The reference's rules for user fields, shared by the client's forms and the local server.
public enum UserFieldRules {
    public static func check(name: String?, lastname: String?, email: String?, roles: [UserRole]?) -> [FieldError] {
        var errors: [FieldError] = []
        if let name, !(2...32).contains(name.count) {
            errors.append(FieldError(field: "name", message: "must be 2 to 32 characters"))
        }
        if let lastname, lastname.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: "lastname", message: "must not be empty"))
        }
        if let email, !EmailAddress.isValid(email) {
            errors.append(FieldError(field: "email", message: "must be a valid email address"))
        }
        if let roles {
            let unknown = roles.filter { !UserRole.assignable.contains($0) }
            if !unknown.isEmpty {
                errors.append(
                    FieldError(
                        field: "roles",
                        message: "unknown role \(unknown.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")); allowed: user, comercial, super"))
            }
        }
        return errors
    }
}

/// Checks an email address before it is sent, as the server would.
public enum EmailAddress {
    /// A pragmatic check: one `@`, a non-empty local part, a dotted domain, no spaces.
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, text.count <= 254 else { return false }
        guard !text.contains(where: { $0.isWhitespace || $0.isNewline }) else { return false }
        let domainLabels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domainLabels.count >= 2 && domainLabels.allSatisfy { !$0.isEmpty }
    }
}
