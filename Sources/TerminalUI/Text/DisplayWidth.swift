/// How many terminal columns text takes: 0 for combining and zero-width marks, 2 for East Asian
/// wide characters and emoji, 1 otherwise. Grapheme clusters are measured as one unit.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F && scalars.count == 1 { return first.value >= 0x20 ? 1 : 0 }
        if scalars.count > 1 {
            // Emoji presentation selector, ZWJ sequences and flag pairs render as one wide glyph.
            if scalars.contains(where: { $0.value == 0xFE0F }) && first.properties.isEmoji { return 2 }
            if scalars.contains(where: { $0.value == 0x200D }) && scalars.contains(where: { $0.properties.isEmojiPresentation }) { return 2 }
            if isRegionalIndicator(first) { return 2 }
        }
        return width(of: first)
    }

    public static func of<S: StringProtocol>(_ text: S) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// Width of a single scalar on its own.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if value < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200B || (value >= 0x1160 && value <= 0x11FF) { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return isWide(value) ? 2 : 1
    }

    static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool {
        (0x1F1E6...0x1F1FF).contains(scalar.value)
    }

    /// East Asian Wide and Fullwidth ranges (Unicode 15) outside the emoji blocks, sorted for binary
    /// search. Emoji are wide when they have Emoji_Presentation (or a VS16), as wcwidth sees them.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55, 0x2E80...0x303E,
        0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
        0x17000...0x18CFF, 0x1AFF0...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
        0x1F191...0x1F19A, 0x1F200...0x1F251, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    static func isWide(_ value: UInt32) -> Bool {
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = wideRanges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}

/// Fitting text into a number of columns, never splitting a grapheme.
public enum TextFit {
    /// The longest prefix that fits in `columns`, with `…` when something was cut.
    public static func truncate(_ text: String, to columns: Int, ellipsis: Bool = true) -> String {
        guard columns > 0 else { return "" }
        let total = DisplayWidth.of(text)
        if total <= columns { return text }
        let budget = ellipsis ? columns - 1 : columns
        var used = 0
        var result = ""
        for character in text {
            let width = DisplayWidth.of(character)
            if used + width > budget { break }
            used += width
            result.append(character)
        }
        guard ellipsis else { return result }
        while result.last == " " { result.removeLast() }
        return result + "…"
    }

    /// Pads with spaces (or truncates) to exactly `columns`.
    public static func pad(_ text: String, to columns: Int, alignRight: Bool = false) -> String {
        let fitted = truncate(text, to: columns)
        let gap = max(0, columns - DisplayWidth.of(fitted))
        let padding = String(repeating: " ", count: gap)
        return alignRight ? padding + fitted : fitted + padding
    }

    /// Word-wraps to lines of at most `columns`, breaking long words where they must.
    public static func wrap(_ text: String, to columns: Int) -> [String] {
        guard columns > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var piece = String(word)
                var pieceWidth = DisplayWidth.of(piece)
                let needed = lineWidth == 0 ? pieceWidth : lineWidth + 1 + pieceWidth
                if needed <= columns {
                    line += (lineWidth == 0 && line.isEmpty ? "" : " ") + piece
                    lineWidth = needed
                    continue
                }
                if !line.isEmpty || lineWidth > 0 { lines.append(line) }
                line = ""
                lineWidth = 0
                while pieceWidth > columns {
                    let head = truncate(piece, to: columns, ellipsis: false)
                    lines.append(head)
                    piece = String(piece.dropFirst(head.count))
                    pieceWidth = DisplayWidth.of(piece)
                }
                line = piece
                lineWidth = pieceWidth
            }
            lines.append(line)
        }
        return lines
    }
}
