/// The styles widgets draw with, by role. The default uses the 8 basic colors for everything that
/// carries meaning, so it reads the same in 8-color, 256-color and true-color terminals; under
/// `NO_COLOR` the backend drops colors and the bold/reverse/underline here still tell roles apart.
public struct Theme: Sendable, Equatable {
    public var text = Style.plain
    public var dimText = Style(foreground: .brightBlack, attributes: .dim)
    public var header = Style(attributes: [.bold, .underline])
    public var selection = Style(foreground: .black, background: .cyan, attributes: [.reverse, .bold])
    public var selectionUnfocused = Style(attributes: [.reverse])
    public var border = Style(foreground: .brightBlack)
    public var focusedBorder = Style(foreground: .cyan, attributes: .bold)
    public var title = Style(foreground: .cyan, attributes: .bold)
    public var statusLine = Style(foreground: .black, background: .white, attributes: .reverse)
    public var statusAccent = Style(foreground: .black, background: .cyan, attributes: [.reverse, .bold])
    public var error = Style(foreground: .red, attributes: .bold)
    public var warning = Style(foreground: .yellow, attributes: .bold)
    public var success = Style(foreground: .green, attributes: .bold)
    public var info = Style(foreground: .cyan)
    public var match = Style(foreground: .yellow, attributes: [.bold, .underline])
    public var input = Style(attributes: .underline)
    public var placeholder = Style(foreground: .brightBlack, attributes: [.dim, .underline])
    public var activeTab = Style(foreground: .black, background: .cyan, attributes: [.reverse, .bold])
    public var inactiveTab = Style(attributes: .dim)
    public var chart = Style(foreground: .cyan)
    /// Dimmed text drawn at full brightness (the high-contrast theme).
    public var dropsDim = false

    public init() {}

    public static let standard = Theme()
}
