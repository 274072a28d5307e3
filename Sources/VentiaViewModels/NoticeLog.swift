import Foundation
import Observation

/// A notice worth keeping: when it came, what it said, and the contact it is about.
public struct LoggedNotice: Sendable, Equatable {
    public var at: Date
    public var text: String
    public var contactId: String?

    public init(at: Date, text: String, contactId: String?) {
        self.at = at
        self.text = text
        self.contactId = contactId
    }
}

/// The last notices that concern the agent (a reminder due, a customer writing, a transfer), newest
/// first, and how many came since they were last listed.
@Observable
@MainActor
public final class NoticeLog {
    public static let kept = 50
    public private(set) var entries: [LoggedNotice] = []
    /// Notices since `:notices` last listed them.
    public private(set) var unread = 0

    public init() {}

    func add(_ notice: LoggedNotice) {
        entries.insert(notice, at: 0)
        if entries.count > Self.kept { entries.removeLast(entries.count - Self.kept) }
        unread = min(unread + 1, Self.kept)
    }

    public func markRead() { unread = 0 }

    /// The contact of the newest notice that names one.
    public var latestContactId: String? { entries.first { $0.contactId != nil }?.contactId }
}
