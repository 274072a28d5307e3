import Foundation
import GRDB
import VentiaAPI

/// A reminder set on a contact the mirror keeps: whose contact, and when.
public struct ContactReminder: Sendable, Equatable {
    public var contactId: String
    public var name: String
    public var at: Date

    public init(contactId: String, name: String, at: Date) {
        self.contactId = contactId
        self.name = name
        self.at = at
    }
}

/// Reminders read from the columns beside each contact (no request, no JSON decoded), for the
/// watch that tells an agent when one comes due.
extension ContactMirror {
    /// The reminders of `agentId`'s contacts due after `after` and no later than `through`, oldest first.
    public func reminders(ofAgent agentId: String, after: Date, through: Date) throws(MirrorError) -> [ContactReminder] {
        try read("read the reminders") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, firstName, lastName, reminder FROM contact INDEXED BY contact_reminder
                    WHERE agent = ? AND reminder > ? AND reminder <= ? ORDER BY reminder
                    """,
                arguments: [agentId, after.timeIntervalSince1970, through.timeIntervalSince1970]
            ).map { row in
                ContactReminder(
                    contactId: row[0], name: Contact.fullName(firstName: row[1] ?? "", lastName: row[2] ?? ""),
                    at: Date(timeIntervalSince1970: row[3]))
            }
        }
    }

    /// When the first reminder of `agentId`'s contacts after `after` is due, if any is.
    public func nextReminder(ofAgent agentId: String, after: Date) throws(MirrorError) -> Date? {
        try read("read the reminders") { db in
            try Double.fetchOne(
                db, sql: "SELECT min(reminder) FROM contact INDEXED BY contact_reminder WHERE agent = ? AND reminder > ?",
                arguments: [agentId, after.timeIntervalSince1970])
        }.map { Date(timeIntervalSince1970: $0) }
    }

    /// Until when reminders were told (nil before the first run that watched them).
    public func remindersToldUntil() throws(MirrorError) -> Date? {
        try meta("remindersToldUntil").map { Date(timeIntervalSince1970: $0) }
    }

    public func setRemindersTold(until date: Date) throws(MirrorError) { try setMeta("remindersToldUntil", date.timeIntervalSince1970) }
}
