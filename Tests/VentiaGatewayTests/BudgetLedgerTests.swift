import Foundation
import PostgresTesting
import Testing
import VentiaAPI
@testable import VentiaGateway

/// The team's budget in PostgreSQL: reservations under the account's lock, on PostgreSQL's clock
/// (shifted by the tests instead of sleeping out a window).
@Suite struct BudgetLedgerTests {
    @Test func twoReplicasRacingForTheLastSlotsNeverReserveMoreThanTheLimit() async throws {
        let url = try await GatewayHarness.database()
        let first = try await GatewayHarness.open(url)
        let second = try await GatewayHarness.open(url)
        defer { first.close(); second.close() }
        let shift = LedgerTimeShift()
        let ledgers = [
            try await BudgetLedger.open(first, account: "team", limit: 40, reserve: 0, window: 60, shift: shift),
            try await BudgetLedger.open(second, account: "team", limit: 40, reserve: 0, window: 60, shift: shift),
        ]
        let reserved = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<160 {
                group.addTask { try await ledgers[index % 2].reserve(lane: .interactive, agent: "agent\(index % 7)").reserved }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(reserved == 40)
        let stored = try await GatewayHarness.psql("SELECT count(*) FROM gateway_reservations", in: url)
        #expect(stored.trimmingCharacters(in: .whitespacesAndNewlines) == "40")
    }

    @Test func theWindowRollsOnTheLedgersClockAndTheReserveIsKept() async throws {
        let database = try await GatewayHarness.open(try await GatewayHarness.database())
        defer { database.close() }
        let shift = LedgerTimeShift()
        let ledger = try await BudgetLedger.open(database, account: "team", limit: 6, reserve: 1, window: 60, shift: shift)
        for _ in 0..<5 { #expect(try await ledger.reserve(lane: .interactive, agent: "ana").reserved) }
        let full = try await ledger.reserve(lane: .interactive, agent: "ana")
        #expect(!full.reserved)
        #expect(full.used == 5)
        #expect(full.retryAfter > 59 && full.retryAfter <= 61)
        shift.advance(by: 40)
        #expect(!(try await ledger.reserve(lane: .interactive, agent: "ana").reserved))
        shift.advance(by: 21.5)
        let freed = try await ledger.reserve(lane: .interactive, agent: "ana")
        #expect(freed.reserved)
        #expect(freed.used == 1)
    }

    @Test func lanesAreThresholds() async throws {
        let database = try await GatewayHarness.open(try await GatewayHarness.database())
        defer { database.close() }
        let ledger = try await BudgetLedger.open(database, account: "team", limit: 20, reserve: 0, window: 60, shift: LedgerTimeShift())
        func fill(_ lane: RequestLane) async throws -> Int {
            var count = 0
            while try await ledger.reserve(lane: lane, agent: "ana").reserved { count += 1 }
            return count
        }
        // Background takes at most half, writes all but a sixth, interactive the rest.
        #expect(try await fill(.background) == 10)
        #expect(try await fill(.outbox) == 7)
        #expect(try await fill(.interactive) == 3)
    }

    @Test func anUpstreamRefusalStopsEveryoneUntilItsWaitAndASecondLowersTheLimit() async throws {
        let database = try await GatewayHarness.open(try await GatewayHarness.database())
        defer { database.close() }
        let shift = LedgerTimeShift()
        let ledger = try await BudgetLedger.open(database, account: "team", limit: 20, reserve: 0, window: 60, shift: shift)
        try await ledger.learnRefusal(retryAfter: 10)
        let blocked = try await ledger.reserve(lane: .interactive, agent: "ana")
        #expect(!blocked.reserved)
        #expect(blocked.retryAfter > 9 && blocked.retryAfter <= 10)
        #expect(blocked.limit == 20)
        shift.advance(by: 10.5)
        #expect(try await ledger.reserve(lane: .interactive, agent: "ana").reserved)
        try await ledger.learnRefusal(retryAfter: 1)
        shift.advance(by: 1.5)
        let lowered = try await ledger.reserve(lane: .interactive, agent: "ana")
        #expect(lowered.limit == 18)
        // An hour without refusals gives the configured limit back.
        shift.advance(by: 3700)
        #expect(try await ledger.reserve(lane: .interactive, agent: "ana").limit == 20)
    }

    @Test func aDatabaseOfANewerGatewayIsRefused() async throws {
        let url = try await GatewayHarness.database()
        let database = try await GatewayHarness.open(url)
        database.close()
        try await GatewayHarness.psql("UPDATE gateway_schema SET version = 99", in: url)
        await #expect {
            _ = try await GatewayHarness.open(url)
        } throws: { error in
            "\(error)".contains("version 99, written by a newer ventia-gateway")
        }
    }
}

@Suite struct FairQueueTests {
    @Test func lanesGoInOrderAndAgentsTakeTurnsWithinALane() {
        var queue = FairQueue<String>()
        var id = 0
        func add(_ item: String, _ agent: String, _ lane: RequestLane) {
            queue.append(item, id: id, agent: agent, lane: lane)
            id += 1
        }
        for page in 1...4 { add("bulk\(page)", "bruno", .background) }
        add("sync", "carla", .background)
        for note in 1...3 { add("note\(note)", "bruno", .outbox) }
        add("reminder", "carla", .outbox)
        add("open", "ana", .interactive)
        var order: [String] = []
        while let next = queue.peek() {
            order.append(next.item)
            queue.take(id: next.id, agent: next.agent, lane: next.lane)
        }
        #expect(order == ["open", "note1", "reminder", "note2", "note3", "bulk1", "sync", "bulk2", "bulk3", "bulk4"])
        #expect(queue.isEmpty)
    }

    @Test func theCopysSyncGoesBeforeAgentsWaitingInItsLane() {
        var queue = FairQueue<String>(first: ["sync"])
        for (id, agent) in ["ana", "bruno", "carla"].enumerated() { queue.append("page of \(agent)", id: id, agent: agent, lane: .interactive) }
        queue.append("round", id: 3, agent: "sync", lane: .interactive)
        queue.append("later", id: 4, agent: "dora", lane: .interactive)
        var order: [String] = []
        while let next = queue.peek() {
            order.append(next.item)
            queue.take(id: next.id, agent: next.agent, lane: next.lane)
        }
        #expect(order == ["round", "page of ana", "page of bruno", "page of carla", "later"])
    }
}
