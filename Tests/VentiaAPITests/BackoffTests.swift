import Foundation
import Testing
@testable import VentiaAPI

@Suite struct BackoffTests {
    @Test func theOutboxAndAGetsRetriesDoubleTheirPausesUpToACap() {
        #expect((1...7).map { Backoff.outbox.pause(afterFailures: $0) } == [2, 4, 8, 16, 32, 60, 60])
        let policy = RetryPolicy(attempts: 6, jitter: { 1 })
        #expect((2...6).map { policy.delay(beforeAttempt: $0) } == [0.5, 1, 2, 4, 4])
        let halved = RetryPolicy(attempts: 3, jitter: { 0 })
        #expect(halved.delay(beforeAttempt: 3) == 0.5)
    }

    @Test func whetherAFailedWriteMayGoAgainFollowsFromItsKindNotItsWording() {
        let neverSent: [ConnectionFailure] = [.couldNotConnect, .hostNotFound, .noNetwork, .untrustedCertificate, .secureConnectionFailed, .badAddress]
        let ambiguous: [ConnectionFailure] = [.connectionLost, .malformedAnswer, .redirected, .other(code: 104)]
        #expect(neverSent.allSatisfy { VentiaError.transport($0).neverReachedServer })
        #expect(!ambiguous.contains { VentiaError.transport($0).neverReachedServer })
        #expect(VentiaError.afterRetries(attempts: 3, last: .transport(.noNetwork)).neverReachedServer)
        #expect(!VentiaError.unconfirmed(.timedOut).neverReachedServer)
        #expect(VentiaError.unconfirmed(.timedOut).meansUnreachable)
    }
}
