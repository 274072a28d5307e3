/// The pane switcher along the top: each tab with the key that opens it, the active one highlighted.
public struct TabBar {
    public var titles: [String]
    /// The key that opens each tab, shown before its title; nil (or a short list) shows none.
    public var keys: [String?]
    public var active: Int
    public var theme = Theme.standard

    public init(titles: [String], keys: [String?] = [], active: Int) {
        self.titles = titles
        self.keys = keys
        self.active = active
    }

    /// The tab drawn at column `x` of `area`, if any.
    public func tab(atColumn x: Int, in area: Rect) -> Int? {
        var start = area.x
        for index in titles.indices {
            let end = start + DisplayWidth.of(label(index))
            if x >= start && x < min(end, area.maxX) { return index }
            start = end
        }
        return nil
    }

    private func label(_ index: Int) -> String {
        let key = index < keys.count ? keys[index] : nil
        return key.map { " \($0) \(titles[index]) " } ?? " \(titles[index]) "
    }

    public func render(into buffer: inout CellBuffer, area: Rect) {
        guard area.height > 0 else { return }
        var x = area.x
        for index in titles.indices {
            let label = label(index)
            x += buffer.write(label, at: Point(x: x, y: area.y), maxWidth: area.maxX - x, style: index == active ? theme.activeTab : theme.inactiveTab)
            if x >= area.maxX { break }
        }
    }
}

/// One piece of the status line.
public struct StatusSegment: Sendable, Equatable {
    public var text: String
    public var style: Style?
    public init(_ text: String, style: Style? = nil) {
        self.text = text
        self.style = style
    }
}

/// The bottom line: segments on the left, segments on the right (which win when space is short).
public struct StatusLine {
    public var left: [StatusSegment]
    public var right: [StatusSegment]
    public var theme = Theme.standard

    public init(left: [StatusSegment], right: [StatusSegment]) {
        self.left = left
        self.right = right
    }

    public func render(into buffer: inout CellBuffer, area: Rect) {
        guard area.height > 0, area.width > 0 else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(row, style: theme.statusLine)
        let rightText = right.map { " \($0.text) " }
        let rightWidth = min(area.width, rightText.reduce(0) { $0 + DisplayWidth.of($1) })
        var x = area.maxX - rightWidth
        for (segment, text) in zip(right, rightText) {
            x += buffer.write(text, at: Point(x: x, y: area.y), maxWidth: area.maxX - x, style: segment.style ?? theme.statusLine)
        }
        x = area.x
        let leftLimit = area.maxX - rightWidth - 1
        for segment in left where x < leftLimit {
            x += buffer.write(" \(segment.text) ", at: Point(x: x, y: area.y), maxWidth: leftLimit - x, style: segment.style ?? theme.statusLine)
        }
    }
}

/// A transient message, shown until it expires or is dismissed.
public struct FlashMessage: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, success, warning, error }
    public var text: String
    public var kind: Kind
    /// Uptime seconds after which it disappears; nil keeps it until dismissed (errors).
    public var expiresAt: Double?

    public init(_ text: String, kind: Kind = .info, expiresAt: Double? = nil) {
        self.text = text
        self.kind = kind
        self.expiresAt = expiresAt
    }

    public func isVisible(at uptime: Double) -> Bool { expiresAt.map { uptime < $0 } ?? true }
}

public struct FlashView {
    public var theme = Theme.standard
    public init() {}

    public func render(into buffer: inout CellBuffer, area: Rect, message: FlashMessage) {
        guard area.height > 0 else { return }
        let (icon, style): (String, Style) =
            switch message.kind {
            case .info: ("ℹ", theme.info)
            case .success: ("✓", theme.success)
            case .warning: ("!", theme.warning)
            case .error: ("✗", theme.error)
            }
        buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1))
        buffer.write("\(icon) \(message.text)", at: Point(x: area.x, y: area.y), maxWidth: area.width, style: style)
    }
}
