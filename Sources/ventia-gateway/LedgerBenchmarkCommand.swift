import ArgumentParser
import Foundation
import VentiaAPI
import VentiaCommandLine
import VentiaGateway

/// How many reservations a second the database takes: each simulated replica reserves one slot
/// after another, as a replica's queue does, on an account of its own that is deleted afterwards.
struct LedgerBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger-benchmark",
        abstract: "Measure the team budget's reservations per second on this DATABASE_URL, for sizing a deployment.",
        discussion: "Prints one JSON object: replicas, transactions, seconds, per_second, p50_ms, p99_ms. Leaves nothing behind.")

    @Option(help: "Seconds to run.") var seconds = 10.0
    @Option(help: "Replicas reserving at once, each one reservation after another.") var replicas = 2

    func validate() throws {
        guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be from 0 to 600") }
        guard (1...256).contains(replicas) else { throw ValidationError("--replicas must be from 1 to 256") }
    }

    func run() async throws {
        let account = "ledger-benchmark-\(UUID().uuidString.prefix(8))"
        var pools: [GatewayDatabase] = []
        for _ in 0..<replicas { pools.append(try await DatabaseEnvironment.open(logger: DatabaseEnvironment.quietLogger)) }
        defer { pools.forEach { $0.close() } }
        let duration = Duration.milliseconds(Int64(seconds * 1000))
        let timings: [[Duration]]
        do {
            var ledgers: [BudgetLedger] = []
            for pool in pools {
                ledgers.append(try await BudgetLedger.open(pool, account: account, limit: 1 << 30, reserve: 0, window: 60, shift: LedgerTimeShift()))
            }
            let started = ContinuousClock.now
            timings = try await withThrowingTaskGroup(of: [Duration].self) { group in
                for ledger in ledgers {
                    group.addTask {
                        var taken: [Duration] = []
                        while ContinuousClock.now - started < duration {
                            let before = ContinuousClock.now
                            _ = try await ledger.reserve(lane: .interactive, agent: "benchmark")
                            taken.append(ContinuousClock.now - before)
                        }
                        return taken
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            try await BudgetLedger.forget(account: account, in: pools[0])
        } catch {
            try? await BudgetLedger.forget(account: account, in: pools[0])
            throw fail(.unreachable, "\(error)")
        }
        let all = timings.flatMap { $0 }.sorted()
        func percentile(_ p: Double) -> Double {
            guard !all.isEmpty else { return 0 }
            let duration = all[min(all.count - 1, Int(Double(all.count) * p))]
            return Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000
        }
        let result: [String: Double] = [
            "replicas": Double(replicas), "transactions": Double(all.count), "seconds": seconds,
            "per_second": (Double(all.count) / seconds).rounded(), "p50_ms": (percentile(0.5) * 100).rounded() / 100,
            "p99_ms": (percentile(0.99) * 100).rounded() / 100,
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }
}
