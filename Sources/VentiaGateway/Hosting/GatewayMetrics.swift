import Foundation
import Prometheus
import VentiaAPI

/// What `/metrics` shows, in Prometheus's text format: requests per agent and lane, upstream
/// requests and refusals, queue depth and wait per lane, cache and coalescing hits, and the
/// ledger's transaction time.
public final class GatewayMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let upstreamRefusals: Counter
    private let cacheHits: Counter
    private let coalesced: Counter
    private let ledgerTime: DurationHistogram
    private let timeBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(20),
    ]

    public init() {
        upstreamRefusals = registry.makeCounter(descriptor: Self.name("upstream_refusals", "total", "Upstream answers of 429"))
        cacheHits = registry.makeCounter(descriptor: Self.name("cache_hits", "total", "Reads answered from the short cache"))
        coalesced = registry.makeCounter(descriptor: Self.name("coalesced_reads", "total", "Reads that joined an identical read already in flight"))
        ledgerTime = registry.makeDurationHistogram(
            descriptor: Self.name("ledger_transaction", "seconds", "Time of one reservation transaction in PostgreSQL"), labels: [], buckets: timeBuckets)
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "ventia_gateway", metricName: metric, unitName: unit, helpText: help)
    }

    func request(agent: String, lane: RequestLane) {
        registry.makeCounter(
            descriptor: Self.name("requests", "total", "Requests served to agents"), labels: [("agent", agent), ("lane", lane.headerValue)]
        ).increment()
    }

    func upstreamRequest(status: Int) {
        registry.makeCounter(descriptor: Self.name("upstream_requests", "total", "Requests sent upstream, by answer"), labels: [("status", String(status))])
            .increment()
        if status == 429 { upstreamRefusals.increment() }
    }

    func cacheHit() { cacheHits.increment() }
    func coalescedRead() { coalesced.increment() }
    func ledgerTransaction(_ duration: Duration) { ledgerTime.record(duration) }

    func queueDepth(_ lane: RequestLane, _ depth: Int) {
        registry.makeGauge(descriptor: Self.name("queue_depth", "requests", "Requests waiting for the budget"), labels: [("lane", lane.headerValue)])
            .set(Double(depth))
    }

    func queueWait(_ lane: RequestLane, _ duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.name("queue_wait", "seconds", "Time a request waited for the budget"), labels: [("lane", lane.headerValue)],
            buckets: timeBuckets
        ).record(duration)
    }

    public func text() -> String { registry.emitToString() }
}
