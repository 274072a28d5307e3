/// The one gate every string passes before it reaches the screen. Text from a server can never move
/// the cursor, retitle the terminal, ring the bell or reorder a line: controls are made visible
/// (`␛`, `␇`, …) and bidi overrides dropped.
public enum TextSanitizer {
    public static func clean(_ text: String) -> String {
        // Fast path: printable ASCII needs nothing.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var output = String.UnicodeScalarView()
        output.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x09, 0x0A, 0x0D:
                output.append(" ")
            case 0x00..<0x20:
                // Control Pictures: U+2400 + code, so ESC shows as ␛ and BEL as ␇.
                output.append(Unicode.Scalar(0x2400 + value) ?? "?")
            case 0x7F:
                output.append("\u{2421}")
            case 0x80..<0xA0:
                output.append("\u{FFFD}")
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C:
                continue  // bidi embeddings, overrides, isolates and marks
            case 0x2028, 0x2029:
                output.append(" ")
            default:
                output.append(scalar)
            }
        }
        return String(output)
    }
}
