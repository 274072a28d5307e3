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

    /// Every contact a batch at a time, in list order: from the caught-up mirror, or without one
    /// every page from the server. A listing writes its first rows at once and never holds them
    /// all. `body` returns false to stop.
    public static func eachBatch(_ context: CommandContext, cached: Bool, _ body: ([Contact]) -> Bool) async {
        let account = context.account
        guard let mirror = account.mirror else {
            if cached { context.say("--cached: nothing is kept locally here, so there is nothing to list") }
            return await fromServer(context, body)
        }
        if cached {
            let asOf = (try? mirror.caughtUpAt()).flatMap { $0 }.map { " as of \($0.formatted(.iso8601))" } ?? " (never synced)"
            context.say("listing the local copy\(asOf)")
        } else if !(await catchUp(context)) {
            return await fromServer(context, body)
        }
        do {
            try mirror.forEachContact(body)
        } catch {
            context.say("the local copy cannot be read: \(error)")
            context.exit(.refused)
        }
    }

    private static func fromServer(_ context: CommandContext, _ body: ([Contact]) -> Bool) async {
        await context.forEachPage(.listContacts, as: Contact.self, limit: pageSize, doing: "listing contacts") { page in body(page.map(\.value)) }
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
