/// Where a finished frame goes: the terminal, or a test's memory.
@MainActor
public protocol TerminalBackend: AnyObject {
    var size: Size { get }
    var colorMode: ColorMode { get }
    /// Shows `buffer`; `cursor` is where a text field wants the caret, nil to hide it.
    func present(_ buffer: CellBuffer, cursor: Point?)
}

/// Keeps the last frame in memory: for tests and snapshots.
@MainActor
public final class TextBackend: TerminalBackend {
    public var size: Size
    public let colorMode: ColorMode
    public private(set) var lastFrame: CellBuffer
    public private(set) var cursor: Point?
    public private(set) var presentCount = 0

    public init(size: Size, colorMode: ColorMode = .indexed256) {
        self.size = size
        self.colorMode = colorMode
        lastFrame = CellBuffer(size: size)
    }

    public func present(_ buffer: CellBuffer, cursor: Point?) {
        lastFrame = buffer
        self.cursor = cursor
        presentCount += 1
    }

    public var text: String { lastFrame.text }
    public var lines: [String] { lastFrame.lines() }
}
