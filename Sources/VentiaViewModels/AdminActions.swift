import Foundation
import VentiaAPI
import VentiaCore
import VentiaMirror

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

/// A supervisor's writes on users and sales. Each checks the reference's rules, then goes through
/// the session's outbox like the agent's writes (a new user's, holding its password, waits in
/// memory only), and updates what is on screen once the server has it.
@MainActor
public final class AdminActions {
    public typealias Outcome<T: Sendable> = @MainActor @Sendable (ActionOutcome<T>) -> Void

    let session: AppSession
    let sales: SalesListViewModel

    public init(session: AppSession, sales: SalesListViewModel) {
        self.session = session
        self.sales = sales
        session.outbox.onAdminDelivered = { [weak self] record, answer in self?.show(record, answer) }
    }

    /// A delivered write on screen: the user answered replaces the one known (a check that found
    /// a new user reloads them); a sale write reloads the sales page.
    private func show(_ record: OutboxRecord, _ answer: OutboxAnswer) {
        guard case .admin(let admin) = record.write else { return }
        switch admin.endpoint {
        case .createWebhook, .updateWebhook: onWebhookChange?()
        case .createUser, .updateUser, .replaceUser:
            if case .json(let json) = answer, let user: User = Self.decode(json) {
                session.upsert(session.user(user.id).map { Self.merge(user, into: $0) } ?? user)
            } else {
                session.loadUsers()
            }
        default: sales.reloadAfterWrite()
        }
    }

    static func decode<T: Decodable>(_ json: JSONValue) -> T? {
        guard json != .null, let data = try? JSONEncoder().encode(json) else { return nil }
        return try? VentiaJSON.decode(T.self, from: data)
    }

    /// Keeps and sends one request; `completion` hears the first answer (decoded) or the queueing.
    private func submit<T: Decodable & Sendable>(
        _ endpoint: Endpoint, path: [String] = [], body: some Encodable, label: String, check: AdminWrite.Check, completion: @escaping Outcome<T>
    ) {
        guard let data = try? VentiaJSON.encoder().encode(body) else {
            return completion(.done(.failure(.invalidRequest(reason: "the request body could not be encoded"))))
        }
        let write = AdminWrite(endpoint: endpoint, path: path, body: data, label: label, check: check)
        session.outbox.submit(.admin(write), contactId: "", contactName: "") { outcome in
            switch outcome {
            case .queued(let reason): completion(.queued(reason.statusText))
            case .answered(.failure(let error)): completion(.done(.failure(error)))
            case .answered(.success(let answer)):
                if case .json(let json) = answer, let value: T = Self.decode(json) {
                    completion(.done(.success(value)))
                } else {
                    completion(.queued("sent"))
                }
            }
        }
    }

    public func createUser(_ input: UserInput, completion: @escaping Outcome<User>) {
        let errors = input.validate()
        guard errors.isEmpty else { return completion(.done(.failure(.validation(message: "check the form", fieldErrors: errors)))) }
        submit(.createUser, body: input, label: "New user \(input.email)", check: .userWithEmail(input.email), completion: completion)
    }

    /// Sends only the fields that changed; nothing changed is not an error, and sends nothing.
    public func updateUser(_ user: User, to values: UserFormValues, completion: @escaping Outcome<User>) {
        let patch = values.patch(from: user)
        let errors = patch.validate()
        guard errors.isEmpty else { return completion(.done(.failure(.validation(message: "check the form", fieldErrors: errors)))) }
        guard !patch.isEmpty else { return completion(.done(.success(user))) }
        submit(.updateUser, path: [user.id], body: patch, label: "Edit of user \(user.fullName)", check: .resend, completion: completion)
    }

    public func replaceUser(_ user: User, with values: UserFormValues, completion: @escaping Outcome<User>) {
        let replacement = values.replacement
        let errors = replacement.validate()
        guard errors.isEmpty else { return completion(.done(.failure(.validation(message: "check the form", fieldErrors: errors)))) }
        submit(.replaceUser, path: [user.id], body: replacement, label: "Replacement of user \(user.fullName)", check: .resend, completion: completion)
    }

    /// Edit answers leave out `firstLogin`: keep what was known.
    static func merge(_ answer: User, into known: User) -> User {
        var merged = answer
        if merged.firstLogin == nil { merged.firstLogin = known.firstLogin }
        return merged
    }

    public func createSale(_ input: SaleInput, completion: @escaping Outcome<Sale>) {
        let errors = input.validateForCreate()
        guard errors.isEmpty else { return completion(.done(.failure(.validation(message: "check the form", fieldErrors: errors)))) }
        // Created by upsert under an id made here, so a lost answer is checked by that id (the
        // reference's sales lists show no ticket to look for), and sending again could not make a second.
        let id = ObjectId.make(at: session.clock.now())
        submit(.upsertSale, path: [id], body: input, label: "New sale \(input.ticketId ?? "")", check: .saleWithId(id), completion: completion)
    }

    /// A locked sale is refused here with the reason, before the server's 403.
    public func updateSale(_ sale: Sale, _ patch: SalePatch, completion: @escaping Outcome<Sale>) {
        guard !sale.lock else { return completion(.done(.failure(Self.locked(sale)))) }
        guard !patch.isEmpty else { return completion(.done(.success(sale))) }
        submit(.updateSale, path: [sale.id], body: patch, label: "Sale \(sale.ticketId ?? sale.id)", check: .resend, completion: completion)
    }

    /// A status change on every sale given, as one bulk action; locked sales are left out and
    /// named, since the server would refuse each with a 403.
    public func bulkStatus(_ status: String, on targets: [Sale]) -> Result<(run: BulkRun, locked: [Sale]), VentiaError> {
        let trimmed = status.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            return .failure(.validation(message: "say which status", fieldErrors: [FieldError(field: "status", message: "is required")]))
        }
        let locked = targets.filter(\.lock)
        var items: [BulkItem] = []
        for sale in targets where !sale.lock {
            guard let body = try? VentiaJSON.encoder().encode(SalePatch(status: trimmed)) else { continue }
            let label = "Sale \(sale.ticketId ?? sale.id)"
            let write = AdminWrite(endpoint: .updateSale, path: [sale.id], body: body, label: label, check: .resend)
            items.append(BulkItem(targetId: "", name: label, write: .admin(write)))
        }
        let run = BulkRun(title: "Status \(trimmed) on \(items.count) sale\(items.count == 1 ? "" : "s")", items: items, outbox: session.outbox)
        return .success((run, locked))
    }

    public func upsertSale(id: String, _ input: SaleInput, completion: @escaping Outcome<Sale>) {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == 24, trimmed.allSatisfy(\.isHexDigit) else {
            return completion(.done(.failure(.validation(message: "id must be 24 hexadecimal digits", fieldErrors: [FieldError(field: "id", message: "must be 24 hexadecimal digits")]))))
        }
        if let known = sales.sales.first(where: { $0.id == trimmed }), known.lock { return completion(.done(.failure(Self.locked(known)))) }
        submit(.upsertSale, path: [trimmed.lowercased()], body: input, label: "Sale \(input.ticketId ?? trimmed)", check: .resend, completion: completion)
    }

    /// Reloads the webhooks pane after one of its writes; set by the pane.
    public var onWebhookChange: (() -> Void)?

    public func createWebhook(_ input: WebhookInput, completion: @escaping Outcome<String>) {
        let errors = WebhookFields.check(input, allowingPlainHTTP: session.connection.mode == .demo)
        guard errors.isEmpty else { return completion(.done(.failure(.validation(message: "check the form", fieldErrors: errors)))) }
        submit(.createWebhook, body: input, label: "New webhook \(input.name)", check: .webhookNamed(input.name, url: input.callbackUrl)) {
            (outcome: ActionOutcome<WebhookCreated>) in
            switch outcome {
            case .done(let result): completion(.done(result.map(\.id)))
            case .queued(let text): completion(.queued(text))
            }
        }
    }

    /// Sends only what changed (toggling `active` is a one-field PATCH); nothing changed sends nothing.
    public func updateWebhook(_ hook: Webhook, _ patch: WebhookPatch, completion: @escaping Outcome<Bool>) {
        var errors: [FieldError] = []
        if let name = patch.name, let problem = WebhookFields.name(name) { errors.append(FieldError(field: "name", message: problem)) }
        if let url = patch.callbackUrl, let problem = WebhookFields.callbackUrl(url, allowingPlainHTTP: session.connection.mode == .demo) { errors.append(FieldError(field: "callbackUrl", message: problem)) }
        guard errors.isEmpty else { return completion(.done(.failure(.validation(message: "check the form", fieldErrors: errors)))) }
        guard !patch.isEmpty else { return completion(.done(.success(false))) }
        let check = AdminWrite.Check.webhookShows(id: hook.id, name: patch.name, active: patch.active, topics: patch.topics)
        submit(.updateWebhook, path: [hook.id], body: patch, label: "Webhook \(hook.name)", check: check) { (outcome: ActionOutcome<SuccessAnswer>) in
            switch outcome {
            case .done(let result): completion(.done(result.map { _ in true }))
            case .queued(let text): completion(.queued(text))
            }
        }
    }

    public static func locked(_ sale: Sale) -> VentiaError {
        .forbidden(message: "sale \(sale.ticketId ?? sale.id) is locked: Ventia refuses changes to it")
    }
}
