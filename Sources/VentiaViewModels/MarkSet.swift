/// Rows marked for a bulk action, by id, in the order they were marked: a mark survives
/// scrolling, paging, a filter change and a refresh because it names the row, not its position.
public struct MarkSet: Sendable, Equatable {
    public private(set) var ids: [String] = []
    private var members: Set<String> = []

    public init() {}

    public var count: Int { ids.count }
    public var isEmpty: Bool { ids.isEmpty }
    public func contains(_ id: String) -> Bool { members.contains(id) }

    public mutating func toggle(_ id: String) {
        if members.remove(id) != nil { ids.removeAll { $0 == id } } else { insert(id) }
    }

    public mutating func insert(_ id: String) {
        if members.insert(id).inserted { ids.append(id) }
    }

    /// Marks every id given (the rows a filter shows); returns how many were new.
    @discardableResult
    public mutating func insert(contentsOf newIds: some Sequence<String>) -> Int {
        let before = ids.count
        for id in newIds { insert(id) }
        return ids.count - before
    }

    public mutating func remove(_ id: String) {
        if members.remove(id) != nil { ids.removeAll { $0 == id } }
    }

    public mutating func removeAll() {
        ids = []
        members = []
    }

    /// `12 marked`, for the status line; empty when none are.
    public var statusText: String { ids.isEmpty ? "" : "\(ids.count) marked" }
}
