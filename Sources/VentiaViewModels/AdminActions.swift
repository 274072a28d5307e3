import Foundation
import VentiaAPI

/// What a user form holds, to compare with the user as loaded.
public struct UserFormValues: Sendable, Equatable {
    public var name: String
    public var lastname: String
    public var email: String
    public var phoneWork: String
    public var roles: [UserRole]

    public init(name: String, lastname: String, email: String, phoneWork: String, roles: [UserRole]) {
        self.name = name
        self.lastname = lastname
        self.email = email
        self.phoneWork = phoneWork
        self.roles = roles
    }

    public init(_ user: User) {
        self.init(name: user.name, lastname: user.lastname, email: user.email, phoneWork: user.phoneWork ?? "", roles: user.roles)
    }

    /// Only what differs from `user`: a PATCH that leaves the rest alone.
    public func patch(from user: User) -> UserPatch {
        var patch = UserPatch()
        if name != user.name { patch.name = name }
        if lastname != user.lastname { patch.lastname = lastname }
        if email != user.email { patch.email = email }
        if phoneWork != (user.phoneWork ?? "") { patch.phoneWork = .some(phoneWork.isEmpty ? nil : phoneWork) }
        if Set(roles) != Set(user.roles) { patch.roles = roles }
        return patch
    }

    /// A PUT: a missing phone is sent as absent (reset to null), no roles as absent (reset to user).
    public var replacement: UserReplacement {
        UserReplacement(name: name, lastname: lastname, email: email, phoneWork: phoneWork.isEmpty ? nil : phoneWork, roles: roles.isEmpty ? nil : roles)
    }

    /// What a PUT will reset compared with `user`, in words, for the confirm dialog.
    public func resets(comparedWith user: User) -> [String] {
        var lines: [String] = []
        if phoneWork.isEmpty, let phone = user.phoneWork, !phone.isEmpty { lines.append("work phone \(phone) will be cleared") }
        if roles.isEmpty, Set(user.roles) != [.user] { lines.append("roles \(user.roles.map(\.rawValue).joined(separator: ", ")) will become user") }
        for (label, old, new) in [("name", user.name, name), ("last name", user.lastname, lastname), ("email", user.email, email)] where old != new {
            lines.append("\(label) \(old) → \(new)")
        }
        return lines
    }
}

/// A supervisor's writes on users and sales. Each checks the reference's rules before sending and
/// updates what is on screen after.
@MainActor
public final class AdminActions {
    public typealias Completion<T> = @MainActor @Sendable (Result<T, VentiaError>) -> Void

    let session: AppSession
    let sales: SalesListViewModel

    public init(session: AppSession, sales: SalesListViewModel) {
        self.session = session
        self.sales = sales
    }

    public func createUser(_ input: UserInput, completion: @escaping Completion<User>) {
        let errors = input.validate()
        guard errors.isEmpty else { return completion(.failure(.validation(message: "check the form", fieldErrors: errors))) }
        session.client.createUser(input, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            if case .success(let user) = result { self?.session.upsert(user) }
            completion(result)
        })
    }

    /// Sends only the fields that changed; nothing changed is not an error, and sends nothing.
    public func updateUser(_ user: User, to values: UserFormValues, completion: @escaping Completion<User>) {
        let patch = values.patch(from: user)
        let errors = patch.validate()
        guard errors.isEmpty else { return completion(.failure(.validation(message: "check the form", fieldErrors: errors))) }
        guard !patch.isEmpty else { return completion(.success(user)) }
        session.client.updateUser(id: user.id, patch, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            if case .success(let answer) = result { self?.session.upsert(Self.merge(answer, into: user)) }
            completion(result)
        })
    }

    public func replaceUser(_ user: User, with values: UserFormValues, completion: @escaping Completion<User>) {
        let replacement = values.replacement
        let errors = replacement.validate()
        guard errors.isEmpty else { return completion(.failure(.validation(message: "check the form", fieldErrors: errors))) }
        session.client.replaceUser(id: user.id, with: replacement, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            if case .success(let answer) = result { self?.session.upsert(Self.merge(answer, into: user)) }
            completion(result)
        })
    }

    /// Edit answers leave out `firstLogin`: keep what was known.
    static func merge(_ answer: User, into known: User) -> User {
        var merged = answer
        if merged.firstLogin == nil { merged.firstLogin = known.firstLogin }
        return merged
    }

    public func createSale(_ input: SaleInput, completion: @escaping Completion<Sale>) {
        let errors = input.validateForCreate()
        guard errors.isEmpty else { return completion(.failure(.validation(message: "check the form", fieldErrors: errors))) }
        session.client.createSale(input, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            if case .success = result { self?.sales.reloadAfterWrite() }
            completion(result)
        })
    }

    /// A locked sale is refused here with the reason, before the server's 403.
    public func updateSale(_ sale: Sale, _ patch: SalePatch, completion: @escaping Completion<Sale>) {
        guard !sale.lock else { return completion(.failure(Self.locked(sale))) }
        guard !patch.isEmpty else { return completion(.success(sale)) }
        session.client.updateSale(id: sale.id, patch, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            if case .success = result { self?.sales.reloadAfterWrite() }
            completion(result)
        })
    }

    public func upsertSale(id: String, _ input: SaleInput, completion: @escaping Completion<Sale>) {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == 24, trimmed.allSatisfy(\.isHexDigit) else {
            return completion(.failure(.validation(message: "id must be 24 hexadecimal digits", fieldErrors: [FieldError(field: "id", message: "must be 24 hexadecimal digits")])))
        }
        if let known = sales.sales.first(where: { $0.id == trimmed }), known.lock { return completion(.failure(Self.locked(known))) }
        session.client.upsertSale(id: trimmed.lowercased(), input, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            if case .success = result { self?.sales.reloadAfterWrite() }
            completion(result)
        })
    }

    public static func locked(_ sale: Sale) -> VentiaError {
        .forbidden(message: "sale \(sale.ticketId ?? sale.id) is locked: Ventia refuses changes to it")
    }
}
