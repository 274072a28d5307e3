import Foundation
import GRDB
import VentiaAPI

/// Accounts and their groups: no endpoint changes them, so they are read once at open and every
/// request finds its account by key without touching the database.
struct StoreCatalog: Sendable {
    var accounts: [AccountRecord]
    var groups: [String: GroupRecord]
    private var accountsByKey: [String: AccountRecord] = [:]
    private var groupTrees: [String: [String]] = [:]

    init(accounts: [AccountRecord], groups: [String: GroupRecord]) {
        self.accounts = accounts
        self.groups = groups
        for account in accounts {
            for key in account.keys where accountsByKey[key] == nil { accountsByKey[key] = account }
            groupTrees[account.id] = Self.tree(from: account.groupId, in: groups)
        }
    }

    static func load(_ db: Database) throws -> StoreCatalog {
        let accounts = try Row.fetchAll(db, sql: "SELECT \(AccountRecord.columns) FROM account ORDER BY position").map(AccountRecord.init(row:))
        var groups: [String: GroupRecord] = [:]
        for body in try String.fetchAll(db, sql: "SELECT body FROM accountGroup") {
            do {
                let group = try JSONDecoder().decode(GroupRecord.self, from: Data(body.utf8))
                groups[group.id] = group
            } catch {
                throw StoreCorruption(what: "a group", value: body)
            }
        }
        return StoreCatalog(accounts: accounts, groups: groups)
    }

    static func insert(_ account: AccountRecord, position: Int, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO account (position, \(AccountRecord.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [position] + account.arguments)
    }

    static func insert(_ group: GroupRecord, _ db: Database) throws {
        let body = String(decoding: try JSONEncoder().encode(group), as: UTF8.self)
        try db.execute(sql: "INSERT INTO accountGroup (id, accountId, body) VALUES (?, ?, ?)", arguments: [group.id, group.accountId, body])
    }

    func account(forKey key: String) -> AccountRecord? { accountsByKey[key] }

    /// The account's root group and every group below it, breadth first.
    func groupIds(of account: AccountRecord) -> [String] {
        groupTrees[account.id] ?? Self.tree(from: account.groupId, in: groups)
    }

    private static func tree(from root: String, in groups: [String: GroupRecord]) -> [String] {
        var result = [root]
        var index = 0
        while index < result.count {
            let parent = result[index]
            result += groups.values.filter { $0.parentId == parent }.map(\.id).sorted()
            index += 1
        }
        return result
    }
}
