import Foundation
import GRDB
import VentiaAPI

/// The contact fields the mirror keeps in columns beside the JSON: those a saved view filters on,
/// then those a listing shows (`ContactSummary`).
enum ContactColumns {
    static let names = ["status", "agent", "origin", "reminder", "lastInteraction", "createdAt", "firstName", "lastName", "phones", "emails", "agentName"]

    /// Several phones or emails in one column, apart by a character no phone or email holds.
    static let listSeparator: Character = "\u{1F}"

    static func values(_ contact: Contact) -> StatementArguments {
        [
            contact.status, contact.agent, contact.origin, contact.reminder?.timeIntervalSince1970,
            contact.lastInteraction?.timeIntervalSince1970, contact.createdAt?.timeIntervalSince1970,
            contact.firstName, contact.lastName, contact.phones.joined(separator: String(listSeparator)),
            contact.emails.joined(separator: String(listSeparator)), contact.agentFullName,
        ]
    }
}

/// A span of time a date must fall in; `includesNone` lets a contact without the date match too.
public struct DateSpan: Sendable, Equatable {
    public var from: Date?
    public var to: Date?
    public var includesNone: Bool
    /// Only contacts without the date.
    public var onlyNone: Bool

    public init(from: Date? = nil, to: Date? = nil, includesNone: Bool = false, onlyNone: Bool = false) {
        self.from = from
        self.to = to
        self.includesNone = includesNone
        self.onlyNone = onlyNone
    }

    public func contains(_ date: Date?) -> Bool {
        guard let date else { return includesNone || onlyNone }
        if onlyNone { return false }
        if let from, date < from { return false }
        if let to, date >= to { return false }
        return true
    }
}

/// Which contacts a saved view shows: each part given must hold (an empty list allows any).
public struct ContactQuery: Sendable, Equatable {
    public var statuses: [String] = []
    /// Agent ids; a contact with no agent matches when `unassigned` is set.
    public var agents: [String] = []
    public var unassigned = false
    public var origins: [String] = []
    public var reminder: DateSpan?
    public var lastInteraction: DateSpan?
    public var created: DateSpan?
    /// Only contacts with an inbound message not read yet.
    public var unread = false

    public init() {}

    /// The same test in Swift, for a list without a mirror (the loaded rows); `unreadIds` are the
    /// contacts with an inbound message not read yet.
    public func matches(_ contact: Contact, unreadIds: Set<String>) -> Bool {
        if unread, !unreadIds.contains(contact.id) { return false }
        return matchesFields(contact)
    }

    /// The test without the unread mark (a query that asks for it matches nothing here).
    public func matches(_ contact: Contact) -> Bool {
        !unread && matchesFields(contact)
    }

    private func matchesFields(_ contact: Contact) -> Bool {
        if !statuses.isEmpty, !statuses.contains(contact.status ?? "") { return false }
        if !agents.isEmpty || unassigned {
            let agent = contact.agent.flatMap { $0.isEmpty ? nil : $0 }
            guard agent.map(agents.contains) ?? unassigned else { return false }
        }
        if !origins.isEmpty, !origins.contains(contact.origin ?? "") { return false }
        if let reminder, !reminder.contains(contact.reminder) { return false }
        if let lastInteraction, !lastInteraction.contains(contact.lastInteraction) { return false }
        if let created, !created.contains(contact.createdAt) { return false }
        return true
    }

    /// The SQL condition on the contact table's columns, with its arguments.
    func condition() -> (sql: String, arguments: StatementArguments) {
        var parts: [String] = []
        var arguments: StatementArguments = []
        func list(_ column: String, _ values: [String]) {
            parts.append("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))")
            arguments += StatementArguments(values)
        }
        if !statuses.isEmpty { list("status", statuses) }
        if !agents.isEmpty || unassigned {
            var either: [String] = []
            if !agents.isEmpty {
                either.append("agent IN (\(Array(repeating: "?", count: agents.count).joined(separator: ", ")))")
                arguments += StatementArguments(agents)
            }
            if unassigned { either.append("(agent IS NULL OR agent = '')") }
            parts.append("(" + either.joined(separator: " OR ") + ")")
        }
        if !origins.isEmpty { list("origin", origins) }
        if unread { parts.append("id IN (SELECT id FROM contactRead WHERE unreadSince IS NOT NULL)") }
        for (column, span) in [("reminder", reminder), ("lastInteraction", lastInteraction), ("createdAt", created)] {
            guard let span else { continue }
            if span.onlyNone {
                parts.append("\(column) IS NULL")
                continue
            }
            var within: [String] = ["\(column) IS NOT NULL"]
            if let from = span.from {
                within.append("\(column) >= ?")
                arguments += [from.timeIntervalSince1970]
            }
            if let to = span.to {
                within.append("\(column) < ?")
                arguments += [to.timeIntervalSince1970]
            }
            let test = "(" + within.joined(separator: " AND ") + ")"
            parts.append(span.includesNone ? "(\(column) IS NULL OR \(test))" : test)
        }
        return (parts.isEmpty ? "1" : parts.joined(separator: " AND "), arguments)
    }
}

extension ContactMirror {
    /// The contacts a view shows, newest first, at most `limit`, and how many match in all. When
    /// many match, the list's index is walked until `limit` are found; when few do, they are found
    /// in the view index and only those rows are read.
    public func contacts(matching query: ContactQuery, limit: Int) throws(MirrorError) -> ContactSearch {
        let (condition, arguments) = query.condition()
        return try read("filter the local contacts") { db in
            let matched = try Int.fetchOne(db, sql: "SELECT count(*) FROM contact INDEXED BY contact_view WHERE \(condition)", arguments: arguments) ?? 0
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM contact") ?? 0
            let sql = matched * 10 >= total
                ? "SELECT rowid, updatedAt, body FROM contact INDEXED BY contact_by_update WHERE \(condition) ORDER BY updatedAt DESC, id DESC LIMIT ?"
                : """
                    SELECT rowid, updatedAt, body FROM contact WHERE rowid IN (
                        SELECT rowid FROM contact INDEXED BY contact_view WHERE \(condition) ORDER BY updatedAt DESC, id DESC LIMIT ?)
                    ORDER BY updatedAt DESC, id DESC
                    """
            let contacts = try decodeContacts(db, sql: sql, arguments: arguments + [limit])
            return ContactSearch(contacts: contacts, matched: matched)
        }
    }

    /// How many contacts each query matches (the views' live counts).
    public func counts(_ queries: [ContactQuery]) throws(MirrorError) -> [Int] {
        try read("count the local contacts") { db in
            try queries.map { query in
                let (condition, arguments) = query.condition()
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM contact INDEXED BY contact_view WHERE \(condition)", arguments: arguments) ?? 0
            }
        }
    }
}
