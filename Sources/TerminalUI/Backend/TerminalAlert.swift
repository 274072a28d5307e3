/// How the terminal is asked to get a person's attention: the bell, a desktop notification (OSC 9,
/// which iTerm2, WezTerm, kitty and Windows Terminal show, and OSC 777, which GNOME's VTE and
/// foot show; a terminal that knows neither ignores both), or both.
public struct TerminalAlert: Sendable, Equatable {
    public var bell: Bool
    public var desktop: Bool

    public init(bell: Bool, desktop: Bool) {
        self.bell = bell
        self.desktop = desktop
    }

    /// The bytes to write for `text` under `title`: nothing when neither is asked for.
    public func bytes(title: String, text: String) -> [UInt8] {
        var out = ""
        if desktop {
            // Control characters would end the sequence early; `;` separates OSC 777's fields.
            let body = Self.plain(text)
            out += "\u{1B}]9;\(body)\u{07}"
            out += "\u{1B}]777;notify;\(Self.plain(title).replacingOccurrences(of: ";", with: ","));\(body.replacingOccurrences(of: ";", with: ","))\u{07}"
        }
        if bell { out += "\u{07}" }
        return Array(out.utf8)
    }

    /// `text` as one line of printable characters, at most 200 of them.
    static func plain(_ text: String) -> String {
        String(TextSanitizer.clean(text).unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(200).map(Character.init))
    }
}
