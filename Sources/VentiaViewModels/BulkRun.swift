import Foundation
import Observation
import VentiaAPI
import VentiaCore
import VentiaMirror

/// One write of a bulk action: on which contact (or sale), and what.
public struct BulkItem: Sendable, Equatable {
    public var targetId: String
    public var name: String
    public var write: OutboxWrite

    public init(targetId: String, name: String, write: OutboxWrite) {
        self.targetId = targetId
        self.name = name
        self.write = write
    }
}

/// A bulk action under way: every write is kept in the outbox first (so a crash loses none and
/// none is sent twice), the outbox sends them a few at a time within the budget, and this follows
/// each to delivered or refused. `stop()` withdraws the ones not yet sent.
@Observable
@MainActor
public final class BulkRun {
    public enum ItemState: Sendable, Equatable {
        case waiting
        case done
        case failed(String)
        case stopped
    }

    public let title: String
    public let items: [BulkItem]
    public private(set) var states: [ItemState]
    public private(set) var stopping = false
    @ObservationIgnored private var recordIds: [String] = []
    @ObservationIgnored private var indexByRecord: [String: Int] = [:]
    @ObservationIgnored private let outbox: Outbox
    @ObservationIgnored private var observation: Int?
    /// Told once, when the last write has settled.
    @ObservationIgnored public var onFinished: (() -> Void)?

    public init(title: String, items: [BulkItem], outbox: Outbox) {
        self.title = title
        self.items = items
        self.outbox = outbox
        states = Array(repeating: .waiting, count: items.count)
    }

    public var doneCount: Int { states.filter { $0 == .done }.count }
    public var failedCount: Int { states.filter { if case .failed = $0 { true } else { false } }.count }
    public var stoppedCount: Int { states.filter { $0 == .stopped }.count }
    public var waitingCount: Int { states.filter { $0 == .waiting }.count }
    public var isFinished: Bool { waitingCount == 0 }

    /// The refused writes with their reasons, for the summary at the end.
    public var failures: [(name: String, reason: String)] {
        zip(items, states).compactMap { item, state in
            if case .failed(let reason) = state { return (item.name, reason) }
            return nil
        }
    }

    /// `12/40 done · 1 failed · 27 waiting`.
    public var progressText: String {
        var parts = ["\(doneCount)/\(items.count) done"]
        if failedCount > 0 { parts.append("\(failedCount) failed") }
        if stoppedCount > 0 { parts.append("\(stoppedCount) stopped") }
        if waitingCount > 0 { parts.append("\(waitingCount) \(stopping ? "being sent" : "waiting")") }
        return parts.joined(separator: " · ")
    }

    /// Keeps every write in the outbox and lets it send them.
    public func start() {
        observation = outbox.observeSettlements { [weak self] record, settlement in self?.settled(record.id, settlement) }
        for (index, item) in items.enumerated() {
            guard let id = outbox.enqueue(item.write, contactId: item.targetId, contactName: item.name) else {
                states[index] = .failed("the outbox is not available")
                continue
            }
            recordIds.append(id)
            indexByRecord[id] = index
        }
        finishIfDone()
    }

    /// Withdraws the writes not yet sent; those on the wire finish.
    public func stop() {
        stopping = true
        for id in outbox.withdraw(recordIds) {
            if let index = indexByRecord[id], states[index] == .waiting { states[index] = .stopped }
        }
        finishIfDone()
    }

    private func settled(_ recordId: String, _ settlement: OutboxSettlement) {
        guard let index = indexByRecord[recordId], states[index] == .waiting else { return }
        switch settlement {
        case .delivered: states[index] = .done
        case .refused(let error): states[index] = .failed(error.description)
        case .withdrawn: states[index] = .stopped
        }
        finishIfDone()
    }

    private func finishIfDone() {
        guard isFinished, let token = observation else { return }
        outbox.stopObserving(token)
        observation = nil
        onFinished?()
    }
}
