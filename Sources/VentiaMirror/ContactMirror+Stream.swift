import Foundation
import GRDB
import VentiaAPI

/// A contact as a listing writes it: what it shows, and the contact's JSON as the mirror keeps it
/// when the listing asked for it.
public struct ListedContact: Sendable, Equatable {
    public var summary: ContactSummary
    public var json: Data?

    public init(summary: ContactSummary, json: Data?) {
        self.summary = summary
        self.json = json
    }
}

extension ContactMirror {
    /// The contacts `query` matches in list order (newest `updatedAt` first), at most `limit`,
    /// `batchSize` at a time, read from the columns kept beside the JSON (no JSON is decoded)
    /// and not kept: a listing of 100,000 contacts writes its first row at once and holds one
    /// batch at a time. `body` returns false to stop.
    public func forEachListedContact(
        matching query: ContactQuery = ContactQuery(), limit: Int? = nil, withJSON: Bool, batchSize: Int = 500,
        _ body: ([ListedContact]) throws -> Bool
    ) throws(MirrorError) {
        let (condition, arguments) = query.condition()
        let columns = ["id", "firstName", "lastName", "phones", "emails", "status", "agent", "agentName", "origin", "reminder", "lastInteraction",
                       "createdAt", "updatedAt"] + (withJSON ? ["body"] : [])
        try read("read the local contacts") { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(columns.joined(separator: ", ")) FROM contact INDEXED BY contact_by_update
                    WHERE firstName IS NOT NULL AND \(condition) ORDER BY updatedAt DESC, id DESC LIMIT ?
                    """,
                arguments: arguments + [limit ?? -1])
            var batch: [ListedContact] = []
            batch.reserveCapacity(batchSize)
            while let row = try rows.next() {
                batch.append(ListedContact(summary: Self.summary(row), json: withJSON ? row[13] as Data : nil))
                guard batch.count == batchSize else { continue }
                guard try body(batch) else { return }
                batch.removeAll(keepingCapacity: true)
            }
            if !batch.isEmpty { _ = try body(batch) }
        }
    }

    private static func summary(_ row: Row) -> ContactSummary {
        func date(_ index: Int) -> Date? { (row[index] as Double?).flatMap { $0 == 0 ? nil : Date(timeIntervalSince1970: $0) } }
        func list(_ index: Int) -> [String] {
            let joined: String = row[index] ?? ""
            return joined.isEmpty ? [] : joined.split(separator: ContactColumns.listSeparator, omittingEmptySubsequences: false).map(String.init)
        }
        return ContactSummary(
            id: row[0], firstName: row[1], lastName: row[2] ?? "", phones: list(3), emails: list(4), status: row[5], agent: row[6],
            agentFullName: row[7], origin: row[8], reminder: date(9), lastInteraction: date(10), createdAt: date(11), updatedAt: date(12))
    }
}
