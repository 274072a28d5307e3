/// What the terminal can show, and what the user allows (`NO_COLOR`).
public enum ColorMode: Sendable, Equatable {
    /// No color at all: `NO_COLOR` is set, or the terminal has none. Bold, reverse and underline stay.
    case monochrome
    case basic8
    case indexed256
    case trueColor

    /// Decides from the environment and the number of colors the terminal reports.
    public static func detect(environment: [String: String], terminalColors: Int) -> ColorMode {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        if terminalColors <= 0 { return .monochrome }
        let colorTerm = environment["COLORTERM"]?.lowercased() ?? ""
        if terminalColors >= 256 && (colorTerm == "truecolor" || colorTerm == "24bit") { return .trueColor }
        if terminalColors >= 256 { return .indexed256 }
        return .basic8
    }

    /// The style as this mode can show it. Reverse video is the monochrome stand-in for a
    /// background color: where the color can be shown, it is dropped.
    public func adapt(_ style: Style) -> Style {
        var attributes = style.attributes
        if self != .monochrome && style.background != .default { attributes.remove(.reverse) }
        switch self {
        case .monochrome: return Style(attributes: style.attributes)
        case .basic8: return Style(foreground: style.foreground.basic, background: style.background.basic, attributes: attributes)
        case .indexed256, .trueColor:
            return Style(foreground: style.foreground.indexed256, background: style.background.indexed256, attributes: attributes)
        }
    }
}
