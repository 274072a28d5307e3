import VentiaAPI
import VentiaMirror

/// What a load was for, so that a later success of the same load clears its error.
public enum ErrorSource: Sendable, Equatable {
    case contacts
    case timeline(contactId: String)
    case users
    case user(String)
    case groups
    case sales
    case allSales
    case webhooks
    /// A load a pane names itself, so that a new pane needs no case here.
    case named(String)
    /// A write or another one-off action: its error stays until dismissed.
    case action
}

/// How a write the outbox delivered reached the server.
public enum WriteDelivery: Sendable, Equatable {
    /// Its answer came back.
    case answered
    /// The server took it (a 2xx) but its answer could not be read.
    case answerUnreadable
    /// It got no answer; a check on the server found it had taken effect.
    case confirmedByCheck
}

/// Why a write waits in the outbox instead of being answered at once.
public enum QueueReason: Sendable, Equatable {
    /// The budget is spent; the outbox lane sends it in about this many seconds.
    case budget(seconds: Int)
    /// Nothing left this machine: it is sent as it is once the server can be reached.
    case unreachable
    /// It went out and no answer came: the server is asked whether it took effect before a resend.
    case unanswered
    /// The server took it but its answer could not be read (the contact's timeline reloads).
    case answerUnreadable
}

/// What the account's shared work has to tell a front end, which words it for its user (the app
/// on its status line, a command on standard error).
public enum AccountEvent: Sendable {
    /// The local copy failed (a full disk, a damaged file) and is dropped for the rest of the run.
    case mirrorDropped(reason: String)
    /// A load failed; its source says what it was for.
    case loadFailed(ErrorSource, VentiaError)
    /// A load succeeded: an error it had reported is over.
    case loadSucceeded(ErrorSource)
    /// Writes a previous run left are being sent again.
    case outboxResumed(count: Int)
    /// A write no form waits for reached the server (`quiet`: part of a bulk action or a restart).
    case writeDelivered(OutboxRecord, WriteDelivery, quiet: Bool)
    /// A write no form waits for was refused; it waits in the outbox for the user.
    case writeRefused(OutboxRecord, VentiaError)
    /// The server is a team gateway offering these.
    case gatewayFound(GatewayCapabilities)
    /// Colleagues' writes and the gateway's sync, as its feed told them; `contacts` are those the
    /// mirror now holds at a new version (all of them when there is no mirror).
    case teamChanged([TeamChange], contacts: [Contact])
    /// The feed's cursor was older than the gateway keeps: the list walks its delta instead.
    case teamFeedReset
    /// Reminders of the agent at the keyboard came due now, or (`missed`) while ventia was closed.
    case remindersDue([ContactReminder], missed: Bool)
}
