import Foundation

/// One block of the help screen.
public struct HelpSection: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var keys: String
        public var help: String
        public init(keys: String, help: String) {
            self.keys = keys
            self.help = help
        }
    }

    public var title: String
    public var entries: [Entry]

    public init(title: String, entries: [Entry]) {
        self.title = title
        self.entries = entries
    }
}

/// The `?` screen: every action of the active contexts with its keys, scrollable, narrowed to the
/// entries whose keys or words hold what was typed (accents and case aside).
public struct HelpOverlay {
    public var sections: [HelpSection]
    /// The box's title; the caller names its keys for scrolling and closing.
    public var title: String
    /// What was typed to narrow the entries ("" shows them all).
    public var filter: String
    public var theme = Theme.standard

    public init(sections: [HelpSection], title: String = "Help", filter: String = "") {
        self.sections = sections
        self.title = title
        self.filter = filter
    }

    /// The sections as shown: each narrowed to the entries that match, the empty ones left out.
    public var shownSections: [HelpSection] {
        let folded = TextFolding.fold(filter.trimmingCharacters(in: .whitespaces))
        guard !folded.isEmpty else { return sections }
        return sections.compactMap { section in
            let entries = section.entries.filter { TextFolding.fold($0.keys + " " + $0.help).contains(folded) }
            return entries.isEmpty ? nil : HelpSection(title: section.title, entries: entries)
        }
    }

    /// Lines the overlay has, for scrolling bounds.
    public var lineCount: Int { max(1, shownSections.reduce(0) { $0 + $1.entries.count + 2 }) }

    /// The furthest `scroll` that still fills the box drawn in `area`.
    public func maximumScroll(in area: Rect) -> Int {
        max(0, lineCount - Self.box(in: area).inset(horizontal: 2, vertical: 1).height)
    }

    static func box(in area: Rect) -> Rect { area.inset(horizontal: max(1, area.width / 10), vertical: 1) }

    public func render(into buffer: inout CellBuffer, area: Rect, scroll: inout Int) {
        let box = Self.box(in: area)
        guard box.width >= 20, box.height >= 4 else { return }
        buffer.fill(box)
        buffer.drawBorder(box, style: theme.focusedBorder, title: title, titleStyle: theme.title)
        let inner = box.inset(horizontal: 2, vertical: 1)
        var lines: [(String, String, Bool)] = []
        let shown = shownSections
        if shown.isEmpty { lines.append(("Nothing matches “\(TextSanitizer.clean(filter))”", "", true)) }
        for section in shown {
            lines.append((section.title, "", true))
            lines += section.entries.map { ($0.keys, $0.help, false) }
            lines.append(("", "", false))
        }
        scroll = max(0, min(scroll, lines.count - inner.height))
        let keyWidth = min(18, max(8, inner.width / 3))
        for (row, line) in lines.dropFirst(scroll).prefix(inner.height).enumerated() {
            let y = inner.y + row
            if line.2 {
                buffer.write(line.0, at: Point(x: inner.x, y: y), maxWidth: inner.width, style: theme.header)
            } else {
                buffer.write(line.0, at: Point(x: inner.x + 1, y: y), maxWidth: keyWidth, style: theme.title)
                buffer.write(line.1, at: Point(x: inner.x + 2 + keyWidth, y: y), maxWidth: inner.width - keyWidth - 2)
            }
        }
    }
}
