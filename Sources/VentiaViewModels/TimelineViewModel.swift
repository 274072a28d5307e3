import Foundation
import Observation
import VentiaAPI
import VentiaCore
import VentiaMirror

/// The open contact's interactions, newest first: what the mirror kept shows at once, the fetch
/// replaces it and is kept in turn. Writes still in the outbox show above them. Opening another
/// contact cancels the fetch in flight, and a late answer for the old contact is dropped.
@Observable
@MainActor
public final class TimelineViewModel {
    public private(set) var contactId: String?
    public private(set) var interactions: [Interaction] = []
    public private(set) var state = LoadState.idle
    public private(set) var reachedEnd = false
    public var scroll = 0

    @ObservationIgnored private let session: AppSession
    @ObservationIgnored private var request: RequestHandle?
    @ObservationIgnored private var cursor = CRMPageCursor(limit: 100)
    @ObservationIgnored private var generation = 0

    public init(session: AppSession) {
        self.session = session
        // Behind a gateway: a colleague's write to the open contact shows within a second.
        session.account.listen { [weak self] event in
            guard let self, case .teamChanged(let changes, _) = event, let open = self.contactId else { return }
            let me = session.account.feed.capabilities?.agent
            if changes.contains(where: { $0.contactId == open && $0.by != me }) { self.reload() }
        }
    }

    public func show(contactId: String) {
        guard contactId != self.contactId else { return }
        self.contactId = contactId
        interactions = []
        if let mirror = session.mirror { interactions = session.mirrorTry { try mirror.timeline(of: contactId) } ?? [] }
        scroll = 0
        reload()
    }

    /// The open contact's writes still in the outbox (pending or refused), oldest first.
    public var pending: [OutboxRecord] {
        guard let contactId else { return [] }
        return session.outbox.entries(for: contactId)
    }

    public func close() {
        request?.cancel()
        request = nil
        generation += 1
        contactId = nil
        interactions = []
        state = .idle
    }

    public func reload() {
        guard let contactId else { return }
        request?.cancel()
        cursor = CRMPageCursor(limit: 100)
        state = interactions.isEmpty ? .loading : .refreshing
        fetch(contactId: contactId, replacing: true)
    }

    /// The next page of older interactions.
    public func loadMore() {
        guard let contactId, !reachedEnd, request == nil else { return }
        fetch(contactId: contactId, replacing: false)
    }

    private func fetch(contactId: String, replacing: Bool) {
        generation += 1
        let requestGeneration = generation
        let pageCursor = cursor
        request = session.client.listInteractions(contactId: contactId, page: pageCursor.nextPage, limit: pageCursor.limit, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self, self.generation == requestGeneration, self.contactId == contactId else { return }
            self.request = nil
            switch result {
            case .success(let page):
                let earlier = replacing ? [] : self.interactions
                let fresh = page.unseen(by: \.id, known: Set(earlier.map(\.id)))
                var next = pageCursor
                next.advance(receivedCount: page.count, freshCount: fresh.count)
                self.cursor = next
                self.reachedEnd = next.reachedEnd
                self.interactions = earlier + fresh
                self.state = self.interactions.isEmpty ? .empty : .loaded
                if let mirror = self.session.mirror {
                    let now = self.session.clock.now()
                    self.session.mirrorTry { try mirror.save(timeline: fresh, of: contactId, fetchedAt: now) }
                }
                self.session.succeeded(.timeline(contactId: contactId))
            case .failure(let error):
                if error == .cancelled { return }
                self.state = .failed(error.description)
                self.session.report(error, from: .timeline(contactId: contactId))
                if case .rateLimited(let wait) = error {
                    // Loads by itself once the window frees, if the contact is still open.
                    self.session.after(Double(max(1, wait ?? 60)) + 1) { [weak self] in
                        guard let self, self.contactId == contactId, self.request == nil, case .failed = self.state else { return }
                        self.fetch(contactId: contactId, replacing: replacing)
                    }
                }
            }
        })
    }

    /// Why the history did not load, while the timeline still shows something (a note written
    /// since): the pane must not let those few entries pass for the whole history.
    public var restFailedToLoad: String? {
        if case .failed(let message) = state, !interactions.isEmpty || !pending.isEmpty { return message }
        return nil
    }

    /// Shows an interaction that was just written, without a reload.
    public func prepend(_ interaction: Interaction) {
        guard interaction.contact == nil || interaction.contact == contactId, let contactId else { return }
        interactions.insert(interaction, at: 0)
        if state == .empty { state = .loaded }
        if let mirror = session.mirror {
            let now = session.clock.now()
            session.mirrorTry { try mirror.save(timeline: [interaction], of: contactId, fetchedAt: now) }
        }
    }
}
