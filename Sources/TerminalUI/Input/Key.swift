/// A decoded key press.
public struct Key: Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case char(Character)
        case enter, tab, backspace, escape, delete, insert
        case up, down, left, right, home, end, pageUp, pageDown
        case function(Int)
    }

    public struct Modifiers: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let shift = Modifiers(rawValue: 1)
        public static let alt = Modifiers(rawValue: 2)
        public static let ctrl = Modifiers(rawValue: 4)
    }

    public var code: Code
    public var modifiers: Modifiers

    public init(_ code: Code, _ modifiers: Modifiers = []) {
        self.code = code
        self.modifiers = modifiers
    }

    public static func char(_ character: Character) -> Key { Key(.char(character)) }
    public static func ctrl(_ character: Character) -> Key { Key(.char(character), .ctrl) }
    public static func alt(_ character: Character) -> Key { Key(.char(character), .alt) }

    /// The character typed, when this is plain text input.
    public var text: Character? {
        if case .char(let character) = code, modifiers.subtracting(.shift).isEmpty { return character }
        return nil
    }

    /// The keymap name: `ctrl-c`, `alt-x`, `shift-tab`, `enter`, `G`, `?`, `space`, `f5`.
    public var description: String { KeyName.format(self) }
}

/// A mouse report (xterm's SGR form, mode 1006): what happened, at which cell (from 0, 0), with
/// which modifiers held.
public struct MouseEvent: Sendable, Equatable {
    public enum Button: Sendable, Equatable { case left, middle, right }
    public enum Kind: Sendable, Equatable {
        case press(Button)
        case drag(Button)
        case release
        case wheelUp, wheelDown
    }

    public var kind: Kind
    public var position: Point
    public var modifiers: Key.Modifiers

    public init(_ kind: Kind, at position: Point, modifiers: Key.Modifiers = []) {
        self.kind = kind
        self.position = position
        self.modifiers = modifiers
    }
}

/// What the terminal sent: a key, a mouse report, pasted text, or a size change.
public enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    case mouse(MouseEvent)
    case paste(String)
    case resize(Size)
    /// Standard input closed: nothing more can be typed.
    case terminate
}
