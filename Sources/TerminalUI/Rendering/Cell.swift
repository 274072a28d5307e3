/// One screen cell: a grapheme and its style. The right half of a wide grapheme is a continuation
/// cell with empty text.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(text: String = " ", style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public static let blank = Cell()

    public var isContinuation: Bool { text.isEmpty }
}
