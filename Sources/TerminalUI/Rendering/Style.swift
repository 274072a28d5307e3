/// A terminal color. Backends map it down to what the terminal can show.
public enum Color: Hashable, Sendable {
    case `default`
    /// One of the 16 ANSI colors: 0–7 normal, 8–15 bright.
    case ansi(UInt8)
    /// One of the 256 indexed colors.
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    public static let black = Color.ansi(0)
    public static let red = Color.ansi(1)
    public static let green = Color.ansi(2)
    public static let yellow = Color.ansi(3)
    public static let blue = Color.ansi(4)
    public static let magenta = Color.ansi(5)
    public static let cyan = Color.ansi(6)
    public static let white = Color.ansi(7)
    public static let brightBlack = Color.ansi(8)

    /// The nearest of the 8 basic colors, for terminals that have no more.
    public var basic: Color {
        switch self {
        case .default: return .default
        case .ansi(let index): return .ansi(index % 8)
        case .indexed(let index):
            if index < 16 { return .ansi(index % 8) }
            let (r, g, b) = Color.rgbOfIndexed(index)
            return Color.nearestBasic(r, g, b)
        case .rgb(let r, let g, let b): return Color.nearestBasic(r, g, b)
        }
    }

    /// The nearest of the 256 indexed colors.
    public var indexed256: Color {
        switch self {
        case .default, .ansi, .indexed: return self
        case .rgb(let r, let g, let b):
            func level(_ value: UInt8) -> Int { value < 48 ? 0 : value < 115 ? 1 : (Int(value) - 35) / 40 }
            let (lr, lg, lb) = (level(r), level(g), level(b))
            let gray = (Int(r) + Int(g) + Int(b)) / 3
            if lr == lg && lg == lb && gray > 8 && gray < 238 {
                return .indexed(UInt8(232 + (gray - 8) / 10))
            }
            return .indexed(UInt8(16 + 36 * lr + 6 * lg + lb))
        }
    }

    static func rgbOfIndexed(_ index: UInt8) -> (UInt8, UInt8, UInt8) {
        if index >= 232 {
            let value = UInt8(8 + 10 * (Int(index) - 232))
            return (value, value, value)
        }
        let cube = Int(index) - 16
        func channel(_ level: Int) -> UInt8 { level == 0 ? 0 : UInt8(55 + 40 * level) }
        return (channel(cube / 36), channel(cube / 6 % 6), channel(cube % 6))
    }

    static func nearestBasic(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Color {
        let threshold = 100
        let bits = (Int(r) > threshold ? 1 : 0) | (Int(g) > threshold ? 2 : 0) | (Int(b) > threshold ? 4 : 0)
        return .ansi(UInt8(bits))
    }
}

/// Bold, reverse and friends: kept even when colors are off.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1)
    public static let dim = TextAttributes(rawValue: 2)
    public static let italic = TextAttributes(rawValue: 4)
    public static let underline = TextAttributes(rawValue: 8)
    public static let reverse = TextAttributes(rawValue: 16)
}

public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: TextAttributes

    public init(foreground: Color = .default, background: Color = .default, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()

    public func with(_ attributes: TextAttributes) -> Style {
        var copy = self
        copy.attributes.formUnion(attributes)
        return copy
    }

    public func foreground(_ color: Color) -> Style {
        var copy = self
        copy.foreground = color
        return copy
    }
}
