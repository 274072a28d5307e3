import VentiaCore
import VentiaMirror

/// How the app names what the account's outbox reports.
extension Outbox {
    /// `Note for Ana Pérez`: how the outbox names a write.
    public static func describe(_ record: OutboxRecord) -> String {
        let name = record.contactName.isEmpty ? "the contact" : record.contactName
        switch record.write {
        case .note: return "Note for \(name)"
        case .reminder: return "Reminder for \(name)"
        case .transfer: return "Transfer of \(name)"
        case .archive: return "Archiving of \(name)"
        case .edit: return "Edit of \(name)"
        case .create(let input): return "New contact \([input.firstName, input.lastName].joined(separator: " "))"
        case .lead(let input, _): return "Lead \([input.firstName, input.lastName].joined(separator: " "))"
        case .admin(let admin): return admin.label
        }
    }
}

extension WriteDelivery {
    /// What follows the write's name in a notice; nil when a form or a bulk run says it instead.
    func announcement(quiet: Bool) -> String? {
        switch self {
        case .answered: quiet ? nil : "sent"
        case .answerUnreadable: "sent (its answer could not be read)"
        case .confirmedByCheck: "was sent (checked after the connection failed)"
        }
    }
}

extension QueueReason {
    /// What a form says as it closes on a write the outbox keeps.
    public var statusText: String {
        switch self {
        case .budget(let seconds): "queued · sends in \(seconds)s"
        case .unreachable: "kept: the server cannot be reached; it is sent once it can be"
        case .unanswered: "kept: the server did not answer; ventia checks and sends it again"
        case .answerUnreadable: "sent; its answer could not be read, so the timeline reloads"
        }
    }
}
