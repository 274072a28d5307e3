import Foundation
import VentiaAPI
import VentiaMirror

/// Behind a team gateway, what colleagues change reaches this ventia as it happens: the feed is
/// followed with long polls (outside the rate budget: the gateway answers them itself), contacts
/// it carries go into the mirror, and every batch is reported as `AccountEvent.teamChanged`.
/// Against a plain Ventia server (no capabilities) it does nothing at all.
@MainActor
public final class TeamFeed {
    /// What the gateway offers; nil until asked, and for a plain server.
    public private(set) var capabilities: GatewayCapabilities?
    /// Seconds a long poll is held open by the gateway.
    public static let pollSeconds = 25
    /// Pauses between failed polls (the gateway restarting, a replica gone).
    public var pause: @Sendable (Double) async -> Void = { seconds in try? await Task.sleep(for: .seconds(seconds)) }

    private weak var account: AccountSession?
    private var task: Task<Void, Never>?
    static let cursorName = "teamFeedCursor"

    nonisolated init() {}

    func attach(_ account: AccountSession) { self.account = account }

    /// Asks for the capabilities once and, behind a gateway, follows its feed until `stop`.
    public func start() {
        guard task == nil else { return }
        task = Task { [weak self] in await self?.follow() }
    }

    public func stop() {
        task?.cancel()
        task = nil
    }

    private func follow() async {
        guard let client = account?.client, let capabilities = await askCapabilities(client), capabilities.changes else { return }
        self.capabilities = capabilities
        account?.emit(.gatewayFound(capabilities))
        // Resumes where the last run stopped; a first run starts from now (its sync walks the rest).
        var cursor = keptCursor() ?? "now"
        var failures = 0
        while !Task.isCancelled {
            switch await client.teamChanges(since: cursor, wait: Self.pollSeconds) {
            case .success(let batch):
                failures = 0
                if batch.reset {
                    account?.emit(.teamFeedReset)
                } else if !batch.changes.isEmpty {
                    apply(batch.changes)
                }
                cursor = batch.cursor
                keep(cursor)
            case .failure(.cancelled):
                return
            case .failure:
                failures += 1
                await pause(Backoff.outbox.pause(afterFailures: failures))
            }
        }
    }

    /// The capabilities, asked again after a pause while the server cannot be reached; nil when it
    /// answers that it has none (a plain Ventia server's 404) or answers what is not them.
    private func askCapabilities(_ client: VentiaClient) async -> GatewayCapabilities? {
        var failures = 0
        while !Task.isCancelled {
            switch await client.gatewayCapabilities() {
            case .success(let capabilities): return capabilities
            case .failure(let error) where error.isTransient || error.neverReachedServer:
                failures += 1
                await pause(Backoff.outbox.pause(afterFailures: failures))
            case .failure: return nil
            }
        }
        return nil
    }

    private func apply(_ changes: [TeamChange]) {
        guard let account else { return }
        let contacts = changes.compactMap(\.contact)
        var changed: [Contact] = contacts
        if let mirror = account.mirror, !contacts.isEmpty {
            let now = account.clock.now()
            changed = account.mirrorTry { try mirror.saveReportingChanges(contacts, fetchedAt: now) } ?? contacts
        }
        account.emit(.teamChanged(changes, contacts: changed))
    }

    private func keptCursor() -> String? {
        guard let account, let mirror = account.mirror else { return nil }
        return (account.mirrorTry { try mirror.kept(String.self, as: Self.cursorName) } ?? nil)?.value
    }

    private func keep(_ cursor: String) {
        guard let account, let mirror = account.mirror, let data = try? JSONEncoder().encode(cursor) else { return }
        let now = account.clock.now()
        account.mirrorTry { try mirror.keep(answer: data, as: Self.cursorName, fetchedAt: now) }
    }
}
