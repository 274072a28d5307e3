/// Reads and writes key names as keymaps spell them.
public enum KeyName {
    static let named: [String: Key.Code] = [
        "enter": .enter, "return": .enter, "tab": .tab, "backspace": .backspace, "esc": .escape, "escape": .escape,
        "delete": .delete, "del": .delete, "insert": .insert, "up": .up, "down": .down, "left": .left, "right": .right,
        "home": .home, "end": .end, "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown,
        "space": .char(" "),
    ]

    /// Parses `ctrl-c`, `alt-shift-tab`, `G`, `?`, `f12`; nil for anything else.
    public static func parse(_ text: String) -> Key? {
        guard !text.isEmpty else { return nil }
        if text.count == 1, let character = text.first { return Key(.char(character)) }
        var modifiers: Key.Modifiers = []
        var rest = Substring(text)
        while let dash = rest.firstIndex(of: "-"), dash != rest.index(before: rest.endIndex) {
            switch rest[..<dash].lowercased() {
            case "ctrl", "c": modifiers.insert(.ctrl)
            case "alt", "meta", "m", "a": modifiers.insert(.alt)
            case "shift", "s": modifiers.insert(.shift)
            default: return nil
            }
            rest = rest[rest.index(after: dash)...]
        }
        let base = String(rest)
        if base.count == 1, let character = base.first {
            if modifiers.contains(.ctrl) { return Key(.char(Character(character.lowercased())), modifiers) }
            return Key(.char(character), modifiers)
        }
        let lower = base.lowercased()
        if let code = named[lower] { return Key(code, modifiers) }
        if lower.hasPrefix("f"), let number = Int(lower.dropFirst()), (1...24).contains(number) {
            return Key(.function(number), modifiers)
        }
        return nil
    }

    public static func format(_ key: Key) -> String {
        var parts: [String] = []
        if key.modifiers.contains(.ctrl) { parts.append("ctrl") }
        if key.modifiers.contains(.alt) { parts.append("alt") }
        if key.modifiers.contains(.shift) { parts.append("shift") }
        let base: String
        switch key.code {
        case .char(" "): base = "space"
        case .char(let character): base = String(character)
        case .enter: base = "enter"
        case .tab: base = "tab"
        case .backspace: base = "backspace"
        case .escape: base = "esc"
        case .delete: base = "delete"
        case .insert: base = "insert"
        case .up: base = "up"
        case .down: base = "down"
        case .left: base = "left"
        case .right: base = "right"
        case .home: base = "home"
        case .end: base = "end"
        case .pageUp: base = "pgup"
        case .pageDown: base = "pgdn"
        case .function(let number): base = "f\(number)"
        }
        parts.append(base)
        return parts.joined(separator: "-")
    }

    /// A compact label for help screens: `C-c`, `M-x`, `S-tab`, `↑`.
    public static func label(_ key: Key) -> String {
        switch (key.code, key.modifiers) {
        case (.up, []): return "↑"
        case (.down, []): return "↓"
        case (.left, []): return "←"
        case (.right, []): return "→"
        default:
            return format(key).replacingOccurrences(of: "ctrl-", with: "C-").replacingOccurrences(of: "alt-", with: "M-")
                .replacingOccurrences(of: "shift-", with: "S-")
        }
    }
}
