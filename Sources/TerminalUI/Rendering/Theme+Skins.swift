/// Themes besides the standard (dark) one. Widgets draw with `Theme.standard`; a theme then
/// restyles the finished frame, role by role: a cell drawn in one of the standard roles' styles
/// takes this theme's style for that role, and any other cell has its colors mapped as the roles'
/// colors map. `NO_COLOR` still wins: the backend drops every color afterwards.
extension Theme {
    /// What a skin names a color for.
    public enum Role: String, CaseIterable, Sendable {
        case selection, header, dim, error, warning, success, accent, border
    }

    public static let dark = Theme()

    /// For terminals with a light background: darker accents, and dim text that stays legible.
    public static let light = Theme.standard.with([
        .selection: .blue, .accent: .blue, .dim: .indexed(242), .border: .indexed(246), .error: .indexed(160),
        .warning: .indexed(130), .success: .indexed(28), .header: .indexed(17),
    ])

    /// Bright colors only, and nothing dimmed.
    public static let highContrast: Theme = {
        var theme = Theme.standard.with([
            .selection: .ansi(11), .accent: .ansi(11), .dim: .ansi(15), .border: .ansi(15), .error: .ansi(9), .warning: .ansi(11),
            .success: .ansi(10), .header: .ansi(15),
        ])
        theme.dropsDim = true
        return theme
    }()

    /// The shipped themes by the name `theme:` takes.
    public static let named: [String: Theme] = ["dark": .dark, "light": .light, "high-contrast": .highContrast]

    /// This theme with `colors` given to their roles (the selection's is its background).
    public func with(_ colors: [Role: Color]) -> Theme {
        var theme = self
        for (role, color) in colors {
            switch role {
            case .selection:
                for path in [\Theme.selection, \.statusAccent, \.activeTab] { theme[keyPath: path].background = color }
            case .header: theme.header.foreground = color
            case .dim:
                for path in [\Theme.dimText, \.placeholder] { theme[keyPath: path].foreground = color }
            case .error: theme.error.foreground = color
            case .warning: theme.warning.foreground = color
            case .success: theme.success.foreground = color
            case .accent:
                for path in [\Theme.title, \.focusedBorder, \.info, \.chart] { theme[keyPath: path].foreground = color }
            case .border: theme.border.foreground = color
            }
        }
        return theme
    }

    static var rolePaths: [WritableKeyPath<Theme, Style>] {
        [
        \.dimText, \.header, \.selection, \.selectionUnfocused, \.border, \.focusedBorder, \.title, \.statusLine, \.statusAccent, \.error,
        \.warning, \.success, \.info, \.match, \.input, \.placeholder, \.activeTab, \.inactiveTab, \.chart,
        ]
    }

    /// Restyles a frame drawn with `Theme.standard` into this theme.
    public func restyle(_ buffer: inout CellBuffer) {
        let standard = Theme.standard
        var styles: [Style: Style] = [:]
        var colors: [Color: Color] = [:]
        for path in Self.rolePaths {
            let from = standard[keyPath: path], to = self[keyPath: path]
            if styles[from] == nil { styles[from] = to }
            // The terminal's own colors stay its own: only a role's chosen color maps.
            if from.foreground != .default, from.foreground != to.foreground, colors[from.foreground] == nil { colors[from.foreground] = to.foreground }
            if from.background != .default, from.background != to.background, colors[from.background] == nil { colors[from.background] = to.background }
        }
        guard styles.contains(where: { $0.key != $0.value }) || dropsDim else { return }
        let dropsDim = self.dropsDim
        buffer.restyle(buffer.bounds) { style in
            var themed = styles[style] ?? Style(
                foreground: colors[style.foreground] ?? style.foreground, background: colors[style.background] ?? style.background,
                attributes: style.attributes)
            if dropsDim { themed.attributes.remove(.dim) }
            return themed
        }
    }
}
