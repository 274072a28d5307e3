/// Where a pane's data stands.
public enum LoadState: Sendable, Equatable {
    case idle
    case loading
    case loaded
    case empty
    /// Showing what was loaded while a reload runs.
    case refreshing
    case failed(String)

    public var isBusy: Bool { self == .loading || self == .refreshing }

    public var failureMessage: String? {
        if case .failed(let message) = self { return message }
        return nil
    }
}
