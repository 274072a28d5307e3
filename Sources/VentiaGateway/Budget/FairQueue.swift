import VentiaAPI

/// Who goes next among the requests waiting in one replica: the first lane that has any
/// (interactive, then write, then background), and within it each agent in turn, so one agent's
/// bulk transfer or backfill cannot starve the others. Agents named in `first` (the team copy's
/// sync, whose one request a round keeps the copy fresh for everyone) go before the others of
/// their lane.
struct FairQueue<Item> {
    private struct Lane {
        /// Agents in the order they are served; the front one is next.
        var turn: [String] = []
        var waiting: [String: [(id: Int, item: Item)]] = [:]
    }

    private var lanes: [RequestLane: Lane] = [:]
    private(set) var count = 0
    let first: Set<String>

    init(first: Set<String> = []) { self.first = first }

    var isEmpty: Bool { count == 0 }

    /// Every item waiting, in no particular order.
    var items: [Item] { lanes.values.flatMap { $0.waiting.values.flatMap { $0.map(\.item) } } }

    func count(in lane: RequestLane) -> Int { lanes[lane]?.waiting.values.reduce(0) { $0 + $1.count } ?? 0 }

    mutating func append(_ item: Item, id: Int, agent: String, lane: RequestLane) {
        var entry = lanes[lane] ?? Lane()
        if entry.waiting[agent] == nil {
            if first.contains(agent) { entry.turn.insert(agent, at: 0) } else { entry.turn.append(agent) }
        }
        entry.waiting[agent, default: []].append((id, item))
        lanes[lane] = entry
        count += 1
    }

    /// The next item to serve, its agent and lane, without taking it.
    func peek() -> (id: Int, item: Item, agent: String, lane: RequestLane)? {
        for lane in RequestLane.allCases {
            guard let entry = lanes[lane], let agent = entry.turn.first, let first = entry.waiting[agent]?.first else { continue }
            return (first.id, first.item, agent, lane)
        }
        return nil
    }

    /// Takes the item `id` of `agent` in `lane` (one `peek` gave, though others may have come
    /// since); the agent goes to the back of the lane's turn.
    @discardableResult
    mutating func take(id: Int, agent: String, lane: RequestLane) -> Item? {
        guard var entry = lanes[lane], var items = entry.waiting[agent], let index = items.firstIndex(where: { $0.id == id }) else { return nil }
        let taken = items.remove(at: index)
        entry.turn.removeAll { $0 == agent }
        if items.isEmpty {
            entry.waiting[agent] = nil
        } else {
            entry.waiting[agent] = items
            entry.turn.append(agent)
        }
        lanes[lane] = entry.turn.isEmpty ? nil : entry
        count -= 1
        return taken.item
    }

    /// Takes out every item `expired` says has waited too long.
    mutating func removeAll(where expired: (Item) -> Bool) -> [Item] {
        var removed: [Item] = []
        for (lane, var entry) in lanes {
            for (agent, items) in entry.waiting {
                let kept = items.filter { !expired($0.item) }
                removed += items.filter { expired($0.item) }.map(\.item)
                entry.waiting[agent] = kept.isEmpty ? nil : kept
                if kept.isEmpty { entry.turn.removeAll { $0 == agent } }
            }
            lanes[lane] = entry.turn.isEmpty ? nil : entry
        }
        count -= removed.count
        return removed
    }
}
