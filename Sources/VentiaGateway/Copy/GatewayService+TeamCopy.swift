import Foundation
import VentiaAPI

/// What the gateway offers beyond the API, under `/api/v1.0/_ventia/`, none of it costing an
/// upstream request: what it can do (`capabilities`) and what changed (`changes`, as
/// server-sent events or a long poll). Reads the copy can answer are answered from it.
extension GatewayService {
    static let extensionPath = "/_ventia/"
    /// Longest a long poll (`wait=`) is held open.
    static let longestPoll = 30.0
    /// Changes an answer or an event burst carries at most.
    static let changesPerAnswer = 500

    func extensionAnswer(_ request: GatewayRequest, agent: String) async -> GatewayAnswer {
        guard request.isRead else { return .failure(405, "Method \(request.method) is not allowed here: only GET") }
        switch request.path {
        case "/_ventia/capabilities":
            let capabilities: [String: Any] = [
                "gateway": "ventia-gateway", "version": 1, "agent": agent, "changes": true, "copy": copySync != nil, "search": copySync != nil,
                "syncSeconds": configuration.syncSeconds ?? 0, "freshSeconds": configuration.freshSeconds,
            ]
            let body = (try? JSONSerialization.data(withJSONObject: capabilities, options: [.sortedKeys])) ?? Data("{}".utf8)
            return GatewayAnswer(status: 200, headers: ["Content-Type": "application/json; charset=utf-8"], body: body)
        case "/_ventia/changes":
            return await changesAnswer(request)
        case "/_ventia/search":
            return await searchAnswer(request)
        default:
            return .failure(404, "Not found: the gateway offers \(Self.extensionPath)capabilities, changes and search")
        }
    }

    private func changesAnswer(_ request: GatewayRequest) async -> GatewayAnswer {
        let query = request.decodedQuery
        if query["since"] == "now" {
            // Where the log stands: an agent whose copy is current starts from here.
            do {
                let latest = try await copy.changes(after: Int64.max - 1, limit: 1).latest
                return GatewayAnswer(
                    status: 200, headers: ["Content-Type": "application/json; charset=utf-8"], body: Data("{\"cursor\":\"\(latest)\",\"reset\":false,\"changes\":[]}".utf8))
            } catch {
                return unavailable(error)
            }
        }
        guard let since = Int64(query["since"] ?? "0"), since >= 0 else {
            return .failure(400, "since must be a cursor a change feed gave (a whole number, 0 for the start, or now)")
        }
        guard let wait = Double(query["wait"] ?? "0"), wait >= 0 else { return .failure(400, "wait must be a number of seconds") }
        if request.accepts("text/event-stream") { return eventStream(since: since) }
        let seen = bell.count
        do {
            var batch = try await copy.changes(after: since, limit: Self.changesPerAnswer)
            if batch.changes.isEmpty, !batch.reset, wait > 0 {
                await bell.wait(after: seen, seconds: min(wait, Self.longestPoll))
                batch = try await copy.changes(after: since, limit: Self.changesPerAnswer)
            }
            let cursor = batch.changes.last?.seq ?? (batch.reset ? batch.latest : since)
            let body = "{\"cursor\":\"\(cursor)\",\"reset\":\(batch.reset),\"changes\":[" + batch.changes.map(\.json).joined(separator: ",") + "]}"
            return GatewayAnswer(status: 200, headers: ["Content-Type": "application/json; charset=utf-8"], body: Data(body.utf8))
        } catch {
            return unavailable(error)
        }
    }

    /// `{"matched": N, "held": N, "contacts": [...]}`: the copy's contacts whose words start with
    /// `q`'s, newest first, `limit` (1..100, default 100) at most, as the list answers them.
    private func searchAnswer(_ request: GatewayRequest) async -> GatewayAnswer {
        let query = request.decodedQuery
        guard copySync != nil else { return .failure(404, "This gateway keeps no copy of the account to search (--sync-seconds 0)") }
        guard let typed = query["q"], !typed.trimmingCharacters(in: .whitespaces).isEmpty else { return .failure(400, "q is required: what to search for") }
        guard let limit = Int(query["limit"] ?? "100"), (1...100).contains(limit) else { return .failure(400, "limit must be from 1 to 100") }
        do {
            let found = try await copy.search(typed, limit: limit)
            let held = try await copy.count()
            var body = Data("{\"matched\":\(found.matched),\"held\":\(held),\"contacts\":".utf8)
            body.append(RawJSONArray.joined(found.contacts))
            body.append(UInt8(ascii: "}"))
            return GatewayAnswer(status: 200, headers: ["Content-Type": "application/json; charset=utf-8"], body: body)
        } catch {
            return unavailable(error)
        }
    }

    /// `id:` is each change's cursor; a `reset` event says the cursor is older than the log keeps;
    /// a comment every 15 seconds keeps idle connections open through proxies.
    private func eventStream(since: Int64) -> GatewayAnswer {
        var answer = GatewayAnswer(status: 200, headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-cache"], body: Data())
        let (copy, bell, logger) = (self.copy, self.bell, self.logger)
        answer.stream = { send in
            var cursor = since
            try await send(": ventia-gateway change feed\n\n")
            while !Task.isCancelled, !bell.isStopped {
                let seen = bell.count
                let batch: (changes: [LoggedChange], latest: Int64, reset: Bool)
                do {
                    batch = try await copy.changes(after: cursor, limit: Self.changesPerAnswer)
                } catch {
                    logger.warning("change feed: \(error)")
                    try await send("event: unavailable\ndata: {\"message\":\"the gateway's database is unavailable\"}\n\n")
                    return
                }
                if batch.reset {
                    try await send("event: reset\ndata: {\"cursor\":\"\(batch.latest)\"}\n\n")
                    return
                }
                for change in batch.changes { try await send("id: \(change.seq)\nevent: change\ndata: \(change.json)\n\n") }
                cursor = batch.changes.last?.seq ?? cursor
                if batch.changes.isEmpty {
                    await bell.wait(after: seen, seconds: 15)
                    if bell.count == seen { try await send(": idle\n\n") }
                }
            }
        }
        return answer
    }

    /// `GET /contact` pages, and a contact's own answer, from the copy once it has caught up and
    /// is fresh; nil: forward it.
    func readFromCopy(_ request: GatewayRequest) async -> GatewayAnswer? {
        if copySync != nil, let (endpoint, _) = request.endpoint, Self.keptEndpoints.contains(endpoint) { return await keptAnswer(request) }
        guard copySync != nil, request.endpoint?.0 == .listContacts else { return nil }
        let query = request.decodedQuery
        guard Set(query.keys).isSubset(of: ["page", "limit"]), query.count == request.queryItems.count,
            let page = Int(query["page"] ?? "0"), page >= 0, let limit = Int(query["limit"] ?? "100"), (1...100).contains(limit)
        else { return nil }  // upstream says what is wrong with it
        do {
            // Holding the page (the backfill's pages so far hold the newest `nextPage × 100`
            // contacts without a gap), and caught up and fresh; when only its age is against it,
            // one round (shared by every reader of this replica) makes it fresh, for the price
            // of the page this read would have cost.
            var state = try await copy.state()
            guard state.backfill.complete || (page + 1) * limit <= state.backfill.nextPage * CopySync.pageSize else { return nil }
            if !isFresh(state) {
                guard let sync = copySync, await sync.roundNow() else { return nil }
                state = try await copy.state()
                guard isFresh(state) else { return nil }
            }
            let body = try await copy.page(page, limit: limit)
            return GatewayAnswer(status: 200, headers: ["Content-Type": "application/json; charset=utf-8", Self.cacheHeader: "copy"], body: body)
        } catch {
            logger.warning("team copy: \(error); the read goes upstream")
            return nil
        }
    }

    /// A page of contacts no replica has read into the copy yet: the first asker (of any replica)
    /// claims it and reads it upstream (then `read` keeps it); another waits, up to `--max-wait`,
    /// for the copy to hold it. Nil: read it upstream (claimed, or the wait was too long).
    func pageFromAnotherReplica(_ request: GatewayRequest) async -> (answer: GatewayAnswer?, claimed: Int?) {
        guard copySync != nil, request.endpoint?.0 == .listContacts else { return (nil, nil) }
        let query = request.decodedQuery
        guard Int(query["limit"] ?? "100") == CopySync.pageSize, let page = Int(query["page"] ?? "0"), page > 0 else { return (nil, nil) }
        do {
            guard try await copy.state().caughtUpAt != nil else { return (nil, nil) }
            if try await copy.claim(page: page, seconds: configuration.maximumWait + configuration.upstreamTimeout) { return (nil, page) }
            let deadline = ContinuousClock.now + .seconds(configuration.maximumWait)
            while ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(100))
                if let served = await readFromCopy(request) { return (served, nil) }
            }
        } catch {
            logger.warning("team copy: \(error); the read goes upstream")
        }
        return (nil, nil)
    }

    /// Answers the copy keeps by request: a contact's own and its timelines (good while the
    /// contact is listed at the version they were read at), users, groups and sales pages seen
    /// (for --fresh-seconds, dropped by a write to them).
    static let keptEndpoints: Set<Endpoint> = [.getContact, .listInteractions, .listNotes, .listUsers, .listGroups, .listSales]

    /// The contact a kept answer belongs to, if any.
    private static func contactId(of request: GatewayRequest) -> String? {
        guard let (endpoint, parameters) = request.endpoint, [.getContact, .listInteractions, .listNotes].contains(endpoint) else { return nil }
        return parameters.first
    }

    private func keptAnswer(_ request: GatewayRequest) async -> GatewayAnswer? {
        do {
            // Nothing kept at the listed version: forward at once rather than pay a round first.
            guard var body = try await copy.answer(key: request.sharedKey, freshSeconds: configuration.freshSeconds) else { return nil }
            if Self.contactId(of: request) != nil, !isFresh(try await copy.state()) {
                guard let sync = copySync, await sync.roundNow(), isFresh(try await copy.state()),
                    let current = try await copy.answer(key: request.sharedKey, freshSeconds: configuration.freshSeconds)
                else { return nil }
                body = current  // the round may have listed the contact at another version
            }
            return GatewayAnswer(status: 200, headers: ["Content-Type": "application/json; charset=utf-8", Self.cacheHeader: "copy"], body: body)
        } catch {
            logger.warning("team copy: \(error); the read goes upstream")
            return nil
        }
    }

    /// What a kept answer will be good for, read before it is forwarded: the contact's version
    /// now (an answer that came after a change is then kept at the older one, never served wrongly).
    func keptScope(_ request: GatewayRequest) async -> (id: String, version: Date)?? {
        guard copySync != nil, let (endpoint, _) = request.endpoint, Self.keptEndpoints.contains(endpoint) else { return .none }
        guard let id = Self.contactId(of: request) else { return .some(nil) }
        guard let version = try? await copy.version(of: id) else { return .none }
        return .some((id, version))
    }

    /// Keeps an answer an agent read upstream, for the next reader.
    func keepForwardedAnswer(_ request: GatewayRequest, answer: GatewayAnswer, scope: (id: String, version: Date)??) async {
        guard case .some(let contact) = scope, answer.status == 200 else { return }
        do {
            try await copy.keepAnswer(key: request.sharedKey, contact: contact, body: answer.body)
        } catch {
            logger.warning("team copy: \(error)")
        }
    }

    private func isFresh(_ state: CopyState) -> Bool {
        guard state.staleSince == nil, let age = state.age else { return false }
        return age <= configuration.freshSeconds
    }

    /// A page of contacts an agent read upstream (the copy did not hold it yet) fills the copy as
    /// the backfill would: thirty agents starting at once pay for each page once.
    func keepForwardedPage(_ request: GatewayRequest, answer: GatewayAnswer, byAgent: Bool) async {
        guard copySync != nil, answer.status == 200, request.endpoint?.0 == .listContacts else { return }
        let query = request.decodedQuery
        guard Int(query["limit"] ?? "100") == CopySync.pageSize, let page = Int(query["page"] ?? "0"), page > 0,
            let contacts = CopiedContact.page(answer.body)
        else { return }
        do {
            _ = try await copy.keep(contacts, by: CopySync.agent, announcingNew: false)
            let state = try await copy.state()
            guard state.caughtUpAt != nil, state.backfill.nextPage == page else { return }
            let next = MirrorSyncStep.backfillPage(state.backfill, fetched: contacts.count, pageSize: CopySync.pageSize)
            try await copy.advanceBackfill(past: page, complete: next.complete)
            // Agents walking the pages fill the copy as the backfill would: it stands aside meanwhile.
            if byAgent { copySync?.agentsFilling() }
        } catch {
            logger.warning("team copy: \(error); the backfill fetches that page itself")
        }
    }

    /// A write went upstream: the copy is behind until the next round, and an accepted write on a
    /// contact is a change in the feed at once (`{"request": …, "answer": …}`).
    func copyWritten(_ request: GatewayRequest, answer: GatewayAnswer, agent: String) async {
        for kept in ["/user", "/sale"] where copySync != nil && request.path.hasPrefix(kept) {
            try? await copy.forgetAnswers(startingWith: "GET " + kept)
        }
        guard copySync != nil, let (endpoint, parameters) = request.endpoint, let kind = Self.feedKind(endpoint) else { return }
        do {
            try await copy.markStale()
            guard (200..<300).contains(answer.status) else { return }
            let contactId = endpoint == .sendWhatsAppMessage ? parameters.last : parameters.first ?? Self.id(in: answer.body)
            let detail = "{\"request\":\(Self.jsonOrNull(request.body)),\"answer\":\(Self.jsonOrNull(answer.body))}"
            try await copy.record(kind: kind, contactId: contactId, by: agent, detail: detail)
        } catch {
            logger.warning("team copy: \(error); the next round brings the write")
        }
    }

    static func feedKind(_ endpoint: Endpoint) -> String? {
        switch endpoint {
        case .createNote: "note"
        case .transferContact: "transfer"
        case .archiveContact: "archive"
        case .createReminder: "reminder"
        case .sendWhatsAppMessage: "whatsapp"
        case .replaceContact: "edit"
        case .createContact: "create"
        case .createLead: "lead"
        default: nil
        }
    }

    static func jsonOrNull(_ data: Data?) -> String {
        guard let data, !data.isEmpty, (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    static func id(in body: Data) -> String? {
        (try? JSONSerialization.jsonObject(with: body)) .flatMap { ($0 as? [String: Any])?["_id"] as? String }
    }
}

extension GatewayRequest {
    /// The query's items by name, decoded (the last of a repeated name).
    var decodedQuery: [String: String] {
        var items: [String: String] = [:]
        for item in queryItems {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]).removingPercentEncoding ?? String(pair[0])
            let value = pair.count > 1 ? String(pair[1]).replacingOccurrences(of: "+", with: " ") : ""
            items[name] = value.removingPercentEncoding ?? value
        }
        return items
    }
}
