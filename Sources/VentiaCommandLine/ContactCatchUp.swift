import Foundation
import VentiaAPI
import VentiaCore
import VentiaMirror

/// Brings the account's local copy up to date before a listing, with the app's own sync
/// (`ContactSync`): pages newest first until one holds a contact kept at that version, then the
/// older pages the copy lacks. On a copy that is up to date this is one request.
@MainActor
public enum ContactCatchUp {
    static let pageSize = 100

    /// The contacts `query` matches, at most `limit`, a batch at a time in list order: from the
    /// caught-up mirror (filtered there, no JSON decoded), or without one from every page of the
    /// server. Each has its JSON when `withJSON`. A listing writes its first rows at once and
    /// never holds them all. `body` returns false to stop.
    public static func eachBatch(
        _ context: CommandContext, cached: Bool, matching query: ContactQuery, limit: Int?, withJSON: Bool, _ body: ([ListedContact]) -> Bool
    ) async {
        let account = context.account
        guard let mirror = account.mirror else {
            if cached { context.say("--cached: nothing is kept locally here, so there is nothing to list") }
            return await fromServer(context, matching: query, limit: limit, withJSON: withJSON, body)
        }
        if cached {
            let asOf = (try? mirror.caughtUpAt()).flatMap { $0 }.map { " as of \($0.formatted(.iso8601))" } ?? " (never synced)"
            context.say("listing the local copy\(asOf)")
        } else if !(await catchUp(context)) {
            return await fromServer(context, matching: query, limit: limit, withJSON: withJSON, body)
        }
        do {
            try mirror.forEachListedContact(matching: query, limit: limit, withJSON: withJSON, body)
        } catch {
            context.say("the local copy cannot be read: \(error)")
            context.exit(.refused)
        }
    }

    private static func fromServer(
        _ context: CommandContext, matching query: ContactQuery, limit: Int?, withJSON: Bool, _ body: ([ListedContact]) -> Bool
    ) async {
        var listed = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        await context.forEachPage(.listContacts, as: Contact.self, limit: pageSize, doing: "listing contacts") { page in
            var batch = page.filter { query.matches($0.value) }
            if let limit { batch = Array(batch.prefix(limit - listed)) }
            listed += batch.count
            let more = body(batch.map { ListedContact(summary: ContactSummary($0.value), json: withJSON ? try? encoder.encode($0.json) : nil) })
            return more && limit.map { listed < $0 } ?? more
        }
    }

    /// The account's sync, round and backfill, on the interactive lane (a listing waits for it),
    /// waiting out the budget. False when the mirror failed on the way (the account said so).
    static func catchUp(_ context: CommandContext) async -> Bool {
        let sync = ContactSync(account: context.account, pageSize: pageSize, pageLimit: Int.max)
        context.progress("syncing contacts…")
        let caughtUp = await context.waitingOutBudget(doing: "syncing contacts") { () async -> Result<Bool, VentiaError> in
            switch await sync.catchUp() {
            case .caughtUp: .success(true)
            case .mirrorLost: .success(false)
            case .failed(let error): .failure(error)
            }
        }
        guard caughtUp else { return false }
        while true {
            let more = await context.waitingOutBudget(doing: "syncing older contacts") { () async -> Result<Bool?, VentiaError> in
                switch await sync.backfillNext(lane: .interactive) {
                case .kept(let complete): .success(!complete)
                case .complete: .success(false)
                case .mirrorLost: .success(nil)
                case .failed(let error): .failure(error)
                }
            }
            guard let more else { return false }
            guard more else { return true }
            context.progress("syncing older contacts: \(context.account.syncProgress ?? 0)…")
        }
    }
}
