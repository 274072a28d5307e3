import Foundation

/// Identical reads share one upstream call, and its answer is kept a few seconds. The shared call
/// runs in a task of its own, so the first caller going away does not cancel it for the others.
/// A write drops what it may have changed; a read begun before a write is not kept after it.
actor ReadCoalescer {
    /// How an answer was had.
    enum Source: String, Sendable { case fetched, joined, cached }

    private struct Kept {
        var answer: GatewayAnswer
        var expires: ContinuousClock.Instant
    }

    private let lifetime: Duration
    private var inFlight: [String: Task<GatewayAnswer, Never>] = [:]
    private var kept: [String: Kept] = [:]
    /// Counts writes; a read keeps its answer only if none came while it was in flight.
    private var generation = 0

    init(cacheSeconds: Double) {
        lifetime = .milliseconds(Int64(max(0, cacheSeconds) * 1000))
    }

    func read(_ key: String, fetch: @escaping @Sendable () async -> GatewayAnswer) async -> (GatewayAnswer, Source) {
        let now = ContinuousClock.now
        if let entry = kept[key] {
            if entry.expires > now { return (entry.answer, .cached) }
            kept[key] = nil
        }
        let started = generation
        let (answer, source) = await share(key, fetch: fetch)
        if source == .fetched, answer.status == 200, lifetime > .zero, started == generation {
            kept[key] = Kept(answer: answer, expires: ContinuousClock.now + lifetime)
            if kept.count > 10_000 { kept = kept.filter { $0.value.expires > ContinuousClock.now } }
        }
        return (answer, source)
    }

    /// Joins an identical read in flight, or becomes the one others join; never answers from the
    /// kept answers nor keeps one (the team copy's sync wants upstream's state as of now).
    func share(_ key: String, fetch: @escaping @Sendable () async -> GatewayAnswer) async -> (GatewayAnswer, Source) {
        if let shared = inFlight[key] { return (await shared.value, .joined) }
        let task = Task { await fetch() }
        inFlight[key] = task
        let answer = await task.value
        inFlight[key] = nil
        return (answer, .fetched)
    }

    /// A write to `path` was forwarded: drop the reads it may have changed.
    func written(_ path: String) {
        generation += 1
        let scopes = Self.scopes(changedBy: path)
        kept = kept.filter { key, _ in !scopes.contains { $0.covers(Self.path(of: key)) } }
    }

    /// The path part of a key (`GET /contact?page=0` → `/contact`).
    static func path(of key: String) -> String {
        let afterMethod = key.split(separator: " ", maxSplits: 1).last.map(String.init) ?? key
        return String(afterMethod.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    enum Scope: Equatable {
        case exactly(String)
        case under(String)
        case everything

        func covers(_ path: String) -> Bool {
            switch self {
            case .exactly(let target): path == target
            case .under(let prefix): path == prefix || path.hasPrefix(prefix + "/")
            case .everything: true
            }
        }
    }

    /// What a write to `path` may change: a contact's own reads and the contact lists; the users,
    /// sales or webhooks of a write to them; anything for a path the API's table does not have.
    static func scopes(changedBy path: String) -> [Scope] {
        let segments = path.split(separator: "/").map(String.init)
        switch segments.first {
        case "contact":
            return segments.count > 1 ? [.exactly("/contact"), .under("/contact/" + segments[1])] : [.exactly("/contact")]
        case "lead", "leadentry":
            return [.exactly("/contact")]
        case "whatsapp" where segments.count > 2:
            return [.exactly("/contact"), .under("/contact/" + segments[2])]
        case "user": return [.under("/user")]
        case "sale": return [.under("/sale")]
        case "webhook": return [.under("/webhook")]
        default: return [.everything]
        }
    }
}
