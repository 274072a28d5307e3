import Foundation
import VentiaAPI
import VentiaMirror
import VentiaViewModels

/// Brings the account's local copy up to date before a listing, as the app's sync does: pages
/// newest first until one holds a contact kept at that version, then the older pages the copy
/// lacks. On a copy that is up to date this is one request.
@MainActor
public enum ContactCatchUp {
    static let pageSize = 100

    /// Every contact, from the caught-up mirror; without one, every page from the server.
    public static func allContacts(_ context: CommandContext, cached: Bool) async -> [Contact] {
        let session = context.session
        guard let mirror = session.mirror else {
            if cached { context.say("--cached: nothing is kept locally here, so there is nothing to list") }
            return await context.allPages(.listContacts, as: Contact.self, limit: pageSize, doing: "listing contacts").map(\.value)
        }
        if cached {
            let asOf = (try? mirror.caughtUpAt()).flatMap { $0 }.map { " as of \($0.formatted(.iso8601))" } ?? " (never synced)"
            context.say("listing the local copy\(asOf)")
        } else {
            await catchUp(context, mirror)
        }
        do {
            return try mirror.contacts(offset: 0, limit: Int.max)
        } catch {
            context.say("the local copy cannot be read: \(error)")
            context.exit(.refused)
        }
    }

    /// The app's sync (`MirrorSyncStep`), one request after another, waiting out the budget.
    static func catchUp(_ context: CommandContext, _ mirror: ContactMirror) async {
        let hadContacts = ((try? mirror.contactCount()) ?? 0) > 0
        var page = 0
        while true {
            let fetched = await context.get(.listContacts, query: VentiaClient.pageQuery(page, pageSize), as: [Contact].self, doing: "syncing contacts")
            let changed = (try? mirror.saveReportingChanges(fetched, fetchedAt: Date())) ?? fetched
            let step = MirrorSyncStep.refreshPage(
                page, fetched: fetched.count, changed: changed.count, pageSize: pageSize, hadContacts: hadContacts, pageLimit: Int.max)
            if let backfill = step.backfill { try? mirror.setBackfill(backfill) }
            if step.caughtUp { break }
            page += 1
            context.progress("syncing contacts: \(page * pageSize)…")
        }
        try? mirror.setCaughtUp(at: Date())
        // The older pages the copy has never held.
        var backfill = (try? mirror.backfill()) ?? BackfillState(nextPage: 1, complete: false)
        while !backfill.complete {
            let fetched = await context.get(
                .listContacts, query: VentiaClient.pageQuery(backfill.nextPage, pageSize), as: [Contact].self, doing: "syncing older contacts")
            _ = try? mirror.save(fetched, fetchedAt: Date())
            backfill = MirrorSyncStep.backfillPage(backfill, fetched: fetched.count, pageSize: pageSize)
            try? mirror.setBackfill(backfill)
            context.progress("syncing older contacts: \((try? mirror.contactCount()) ?? 0)…")
        }
    }
}
