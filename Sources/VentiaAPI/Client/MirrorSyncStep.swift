/// The rules of catching a copy of the contacts up, page by page, shared by the account's sync (the app
/// and the commands) and the gateway's team copy:
/// a refresh walks contacts newest `updatedAt` first until a page holds one kept at that version
/// (or the list ends, or the first sync has its first page); the backfill then takes the older
/// pages the mirror never held, until a short page ends them.
public enum MirrorSyncStep {
    /// After page `page` of a refresh came back with `fetched` contacts, `changed` of them new or
    /// changed: whether the refresh has caught up, and the backfill to keep (nil: as it was).
    /// `pageLimit` pages at most are walked; the backfill does the rest.
    public static func refreshPage(
        _ page: Int, fetched: Int, changed: Int, pageSize: Int, hadContacts: Bool, pageLimit: Int
    ) -> (caughtUp: Bool, backfill: BackfillState?) {
        let known = fetched - changed
        let caughtUp = known > 0 || fetched < pageSize || !hadContacts || page + 1 >= pageLimit
        if fetched < pageSize { return (caughtUp, BackfillState(nextPage: page + 1, complete: true)) }
        // The first sync: the pages after this one are the backfill's.
        if !hadContacts { return (caughtUp, BackfillState(nextPage: page + 1, complete: false)) }
        return (caughtUp, nil)
    }

    /// After the backfill's page came back with `fetched` contacts: the next one, or the end.
    public static func backfillPage(_ state: BackfillState, fetched: Int, pageSize: Int) -> BackfillState {
        BackfillState(nextPage: state.nextPage + 1, complete: fetched < pageSize)
    }
}

/// The walk through older pages that fills the mirror on leftover budget.
public struct BackfillState: Sendable, Equatable {
    /// The next page to fetch (0-based, as contact pages count).
    public var nextPage: Int
    public var complete: Bool

    public init(nextPage: Int, complete: Bool) {
        self.nextPage = nextPage
        self.complete = complete
    }
}
