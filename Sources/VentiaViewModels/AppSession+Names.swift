import VentiaAPI

/// The directory's names as the screens show them: a short form of an id the directory lacks,
/// "—" for none.
extension AppSession {
    /// The user `me` names (else, behind a team gateway, the one its token names), once the users
    /// are loaded; nil while unknown.
    public var meUser: User? { me.flatMap { User.named($0, among: users) } ?? teamUser }

    /// A user's name, or a short form of the id when the user is unknown here.
    public func userName(_ id: String?) -> String {
        guard let id, !id.isEmpty else { return "—" }
        return user(id)?.fullName ?? "user …" + String(id.suffix(6))
    }

    /// The contact's agent as the answer names it, else from the users list; "—" for none.
    public func agentName(of contact: Contact) -> String {
        if let name = contact.agentFullName, !name.isEmpty { return name }
        return userName(contact.agent)
    }

    public func groupName(_ id: String?) -> String {
        guard let id else { return "—" }
        return groups.first { $0.id == id }?.name ?? "…" + String(id.suffix(6))
    }

    public func archivingReasonName(_ code: String) -> String {
        group?.archivingReasons.first { $0.code == code }?.name ?? code
    }

    public func originName(_ code: String?) -> String {
        guard let code, !code.isEmpty else { return "—" }
        return group?.origins.first { $0.code == code }?.name ?? code
    }
}
