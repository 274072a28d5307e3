import VentiaAPI
import VentiaCore

/// Behind a team gateway: who this agent is among the account's users, and what colleagues did
/// that concerns them.
extension AppSession {
    /// The user the gateway's token names (its agent, written as a user's name, email or id).
    public var teamUser: User? {
        guard let agent = account.feed.capabilities?.agent else { return nil }
        return User.named(agent, among: users)
    }

    /// A contact transferred to this agent by someone else: a notice, once per batch.
    func announceTransfersToMe(_ changes: [TeamChange]) {
        guard let me = meUser, let agent = account.feed.capabilities?.agent else { return }
        let mine = changes.filter { $0.kind == "transfer" && $0.transferredTo == me.id && $0.by != agent }
        guard let first = mine.first else { return }
        let name = first.contactId.flatMap { id in mirror.flatMap { mirror in mirrorTry { try mirror.contact(id: id) } ?? nil }?.fullName } ?? "A contact"
        // The colleague as the account names them, when their token names a user.
        let by = User.named(first.by, among: users)?.fullName ?? first.by
        let text = mine.count == 1 ? "◆ \(name) was transferred to you by \(by)" : "◆ \(mine.count) contacts were transferred to you (\(name) and more)"
        announce(text, contactId: mine.count == 1 ? first.contactId : nil)
    }

    /// A round found a contact whose newest entry is a transfer to me (without a gateway's feed,
    /// which says transfers itself).
    func announceTransferToMe(contactId: String, fromUser: String, toUser: String) {
        guard account.feed.capabilities == nil, let me = meUser, toUser == me.id, fromUser != me.id else { return }
        let name = mirror.flatMap { mirror in mirrorTry { try mirror.contact(id: contactId) } ?? nil }?.fullName ?? "A contact"
        announce("◆ \(name) was transferred to you from \(userName(fromUser))", contactId: contactId)
    }

    /// One of my contacts wrote on WhatsApp (a round or the feed brought the contact changed).
    func announceInbound(contactId: String) {
        guard let me = meUser, let mirror, let contact = mirrorTry({ try mirror.contact(id: contactId) }) ?? nil, contact.agent == me.id else { return }
        announce("● \(contact.fullName) wrote on WhatsApp", contactId: contactId)
    }
}
