import Foundation
import Logging
import VentiaAPI

/// What the gateway does with one agent's request: the token names the agent; a read is answered
/// from the short cache, joins an identical read in flight, or waits for its slot in the team's
/// budget and goes upstream; a write always goes upstream, is audited, and drops the cached reads
/// it may have changed.
public final class GatewayService: Sendable {
    let configuration: GatewayConfiguration
    let database: GatewayDatabase
    let tokens: TokenStore
    let ledger: BudgetLedger
    let admission: AdmissionQueue
    let forwarder: UpstreamForwarder
    let coalescer: ReadCoalescer
    let notices: WriteNotices
    let audit: AuditLog
    public let metrics: GatewayMetrics
    let latest = LatestBudget()
    /// The team's copy of the account; its sync runs only when `syncSeconds` is set.
    let copy: TeamCopy
    let copySync: CopySync?
    let bell = ChangeBell()

    init(configuration: GatewayConfiguration, database: GatewayDatabase, ledger: BudgetLedger, copy: TeamCopy, transport: any HTTPTransport) {
        self.configuration = configuration
        self.database = database
        self.ledger = ledger
        tokens = TokenStore(database)
        audit = AuditLog(database)
        metrics = GatewayMetrics()
        admission = AdmissionQueue(ledger: ledger, maximumWait: configuration.maximumWait, metrics: metrics)
        forwarder = UpstreamForwarder(
            base: configuration.upstream, key: configuration.upstreamKey, transport: transport, timeout: configuration.upstreamTimeout,
            maximumAnswerBytes: configuration.maximumAnswerBytes)
        coalescer = ReadCoalescer(cacheSeconds: configuration.cacheSeconds)
        self.copy = copy
        let sync = configuration.syncSeconds.map { CopySync(copy: copy, interval: $0, logger: configuration.logger) }
        copySync = sync
        notices = WriteNotices(database: database) { [coalescer] path in
            await coalescer.written(path)
            sync?.nudge()
        }
    }

    /// Starts the team copy's sync and the change feed's bell.
    func startCopy() {
        bell.listen(to: database)
        copySync?.start { [self] page, limit, backfill in
            let target = GatewayRequest.basePath + "/contact?page=\(page)&limit=\(limit)"
            // A round keeps the copy fresh for every agent: it goes before their own reads.
            let lane: RequestLane = backfill ? .background : .interactive
            guard let request = GatewayRequest(method: "GET", target: target, headerFields: [(RequestLane.headerName, lane.headerValue)]) else {
                return .failure(500, "the sync's request could not be made")
            }
            // Agents reading the same page join it (and it joins theirs); a backfill page is kept
            // before it is let go, as an agent's is. A round keeps its own, to see what changed.
            return await coalescer.share(request.sharedKey) { [self] in
                guard backfill else { return await forward(request, agent: CopySync.agent) }
                // Another replica (or an agent's read) is fetching this page: the backfill waits for its next turn.
                let claimed = (try? await copy.claim(page: page, seconds: configuration.maximumWait + configuration.upstreamTimeout)) ?? true
                guard claimed else { return .failure(409, "another replica is fetching page \(page)") }
                let answer = await forward(request, agent: CopySync.agent)
                await keepForwardedPage(request, answer: answer, byAgent: false)
                try? await copy.release(page: page)
                return answer
            }.0
        }
    }

    func stopCopy() {
        copySync?.stop()
        bell.stop()
    }

    var logger: Logger { configuration.logger }

    /// How a read was had: `fetched` upstream, `joined` to an identical one in flight, or `cached`.
    static let cacheHeader = "Ventia-Cache"

    func answer(_ request: GatewayRequest) async -> GatewayAnswer {
        var answer = await respond(request)
        answer.headers.merge(latest.headers(reserve: configuration.reserve, window: configuration.window)) { _, budget in budget }
        return answer
    }

    private func respond(_ request: GatewayRequest) async -> GatewayAnswer {
        guard HTTPMethod(rawValue: request.method) != nil else {
            return .failure(405, "Method \(request.method) is not allowed: the API takes GET, POST, PUT and PATCH")
        }
        let agent: String
        switch await authenticate(request) {
        case .agent(let name): agent = name
        case .refused(let refusal): return refusal
        }
        metrics.request(agent: agent, lane: request.lane)
        if request.path.hasPrefix(Self.extensionPath) { return await extensionAnswer(request, agent: agent) }
        if request.isRead, let fromCopy = await readFromCopy(request) {
            metrics.cacheHit()
            return fromCopy
        }
        if request.isRead {
            var (answer, source) = await coalescer.read(request.sharedKey) { [self] in
                let (waited, claimed) = await pageFromAnotherReplica(request)
                if let waited { return waited }
                let scope = await keptScope(request)
                let answer = await forward(request, agent: agent)
                // Kept before the read is let go, so an agent a moment behind is served from the copy.
                await keepForwardedPage(request, answer: answer, byAgent: true)
                await keepForwardedAnswer(request, answer: answer, scope: scope)
                if let claimed { try? await copy.release(page: claimed) }
                return answer
            }
            switch source {
            case .cached:
                metrics.cacheHit()
                // The timing was the first reader's; this one took none of it.
                answer.headers["Server-Timing"] = nil
            case .joined: metrics.coalescedRead()
            case .fetched: break
            }
            answer.headers[Self.cacheHeader] = source.rawValue
            return answer
        }
        let answer = await forward(request, agent: agent)
        // A refusal changed nothing; anything else (a 5xx, a timeout) may have.
        if !(400..<500).contains(answer.status) || answer.status == 408 {
            await copyWritten(request, answer: answer, agent: agent)
            await coalescer.written(request.path)
            await notices.announce(request.path)
        }
        if answer.forwarded {
            let matched = request.endpoint
            do {
                try await audit.record(
                    agent: agent, method: request.method, endpoint: matched?.0.pathTemplate ?? request.path,
                    targetID: AuditLog.target(parameters: matched?.1 ?? [], answer: answer.body), status: answer.status)
            } catch {
                logger.error("audit: \(error) (agent \(agent), \(request.method) \(request.path), status \(answer.status))")
            }
        }
        return answer
    }

    /// One token per request, as the API wants one key: missing, malformed, unknown, revoked, or
    /// two different ones get the API's own 401. The account's real key is not a token.
    func authenticate(_ request: GatewayRequest) async -> Authentication {
        let token: String
        switch PresentedKey.single(
            queryKey: request.queryKeys.first, headerKey: request.headerKeys.first, repeated: request.queryKeys.count > 1 || request.headerKeys.count > 1)
        {
        case .success(let given): token = given
        case .failure(let refusal): return .refused(.failure(401, refusal.description))
        }
        do {
            guard let agent = try await tokens.agent(forToken: token) else { return .refused(.failure(401, PresentedKey.Refusal.unknown.description)) }
            return .agent(agent)
        } catch {
            return .refused(unavailable(error))
        }
    }

    enum Authentication {
        case agent(String)
        case refused(GatewayAnswer)
    }

    func unavailable(_ error: GatewayDatabaseError) -> GatewayAnswer {
        logger.error("\(error)")
        return .failure(
            503, "The gateway's database is unavailable; nothing was sent to the Ventia API. Retry in a few seconds (\(error.reason))",
            headers: ["Retry-After": "5"])
    }

    /// Waits for a slot, sends upstream, and tells the ledger of an upstream 429 (then waits for
    /// the upstream's window once, within the agent's wait, before passing the 429 on).
    func forward(_ request: GatewayRequest, agent: String) async -> GatewayAnswer {
        var attempt = 0
        while true {
            attempt += 1
            let decision: BudgetLedger.Decision
            let waitStarted = ContinuousClock.now
            switch await admission.admit(agent: agent, lane: request.lane) {
            case .unavailable(let error):
                return unavailable(error)
            case .refused(let wait, let last):
                if let last { latest.note(last) }
                let seconds = max(1, Int(ceil(wait)))
                return .failure(
                    429, "Too many requests: the team's budget of \(last?.limit ?? configuration.limit) requests per \(configuration.window) seconds is spent. Retry in \(seconds)s.",
                    headers: ["Retry-After": String(seconds)])
            case .admitted(let admitted):
                decision = admitted
            }
            latest.note(decision)
            switch await forwarder.send(request) {
            case .failed(let failure):
                metrics.upstreamRequest(status: 0)
                var answer = forwarder.failureAnswer(failure)
                answer.forwarded = true
                return answer
            case .answered(let response, let elapsed):
                metrics.upstreamRequest(status: response.status)
                if response.status == 429 {
                    let wait = response.header("Retry-After").flatMap(Double.init) ?? Double(configuration.window)
                    do { try await ledger.learnRefusal(retryAfter: wait) } catch { logger.error("\(error)") }
                    if attempt == 1 { continue }
                }
                var headers: [String: String] = [:]
                for name in UpstreamForwarder.passedHeaders { headers[name] = response.header(name) }
                // The wait for the budget (the ledger included) and the upstream's time; the rest is the gateway's own.
                headers["Server-Timing"] = String(
                    format: "budget;dur=%.1f, upstream;dur=%.1f", (ContinuousClock.now - waitStarted - elapsed).seconds * 1000, elapsed.seconds * 1000)
                return GatewayAnswer(status: response.status, headers: headers, body: response.body, forwarded: true)
            }
        }
    }

    /// `/readyz`: the database answers a query and the upstream answers at all.
    func readiness() async -> GatewayAnswer {
        var problems: [String] = []
        do {
            try await database.run("check the database") { [database] client in try await client.query("SELECT 1", logger: database.logger) }
        } catch {
            problems.append("database: \(error.reason)")
        }
        if !(await forwarder.probe()) { problems.append("upstream: \(configuration.upstream.host ?? "?") does not answer") }
        guard problems.isEmpty else { return .failure(503, "Not ready: " + problems.joined(separator: "; ")) }
        return .text(200, "{\"success\":true,\"status\":\"ready\"}", contentType: "application/json")
    }
}
