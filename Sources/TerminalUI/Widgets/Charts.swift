/// A vertical bar chart with labels under the bars and eighth-block precision.
public struct BarChart {
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    public var bars: [Bar]
    public var barWidth: Int
    /// The bar drawn as selected (an index into `bars`), and whether the chart has the focus.
    public var selected: Int?
    public var focused = true
    public var theme = Theme.standard

    static let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public init(bars: [Bar], barWidth: Int = 3) {
        self.bars = bars
        self.barWidth = max(1, barWidth)
    }

    /// How many bars fit in `width` columns: with more bars than room, the most recent ones show.
    public func visibleBarCount(width: Int) -> Int {
        let roughAxis = DisplayWidth.of(Self.compact(bars.map(\.value).max() ?? 0)) + 1
        return min(bars.count, max(0, (width - roughAxis) / (barWidth + 1)))
    }

    public func render(into buffer: inout CellBuffer, area: Rect) {
        guard area.height >= 3, area.width >= 4 else { return }
        // The most recent bars that fit, scaled among themselves.
        let step = barWidth + 1
        let shownBars = Array(bars.suffix(visibleBarCount(width: area.width)))
        let maximum = shownBars.map(\.value).max() ?? 0
        let scaleLabel = Self.compact(maximum)
        let axisWidth = DisplayWidth.of(scaleLabel) + 1
        let plot = Rect(x: area.x + axisWidth, y: area.y, width: area.width - axisWidth, height: area.height - 1)
        buffer.write(scaleLabel, at: Point(x: area.x, y: area.y), style: theme.dimText)
        buffer.write("0", at: Point(x: area.x + axisWidth - 2, y: plot.maxY - 1), style: theme.dimText)
        let firstShown = bars.count - shownBars.count
        for (slot, bar) in shownBars.suffix(max(0, plot.width / step)).enumerated() {
            let x = plot.x + slot * step
            let isSelected = selected == firstShown + slot
            // A selected block in the selection's colors would read as a hole: it takes the warning's.
            let barStyle = isSelected ? (focused ? theme.warning : Style(foreground: theme.chart.foreground, attributes: .bold)) : theme.chart
            let eighthsTall = maximum > 0 ? Int((bar.value / maximum * Double(plot.height * 8)).rounded()) : 0
            for row in 0..<plot.height {
                let filled = min(8, max(0, eighthsTall - row * 8))
                guard filled > 0 else { break }
                let glyph = String(repeating: Self.eighths[filled], count: barWidth)
                buffer.write(glyph, at: Point(x: x, y: plot.maxY - 1 - row), maxWidth: barWidth, style: barStyle)
            }
            let labelStyle = isSelected ? (focused ? theme.selection : theme.selectionUnfocused) : theme.dimText
            buffer.write(bar.label, at: Point(x: x, y: area.maxY - 1), maxWidth: barWidth, style: labelStyle, ellipsis: false)
        }
    }

    /// The bar (an index into `bars`) drawn at column `x` of a chart rendered in `area`, labels included.
    public func bar(atColumn x: Int, in area: Rect) -> Int? {
        let shown = visibleBarCount(width: area.width)
        let maximum = bars.suffix(shown).map(\.value).max() ?? 0
        let axisWidth = DisplayWidth.of(Self.compact(maximum)) + 1
        let offset = x - area.x - axisWidth
        guard offset >= 0, offset % (barWidth + 1) < barWidth else { return nil }
        let slot = offset / (barWidth + 1)
        return slot < shown ? bars.count - shown + slot : nil
    }

    /// 1234 → "1.2k", for the axis.
    static func compact(_ value: Double) -> String {
        if value >= 1_000_000 { return "\((value / 100_000).rounded() / 10)M" }
        if value >= 1_000 { return "\((value / 100).rounded() / 10)k" }
        return value.rounded() == value ? String(Int(value)) : String((value * 10).rounded() / 10)
    }
}

/// A one-line trend: one block per value, scaled to the largest.
public struct Sparkline {
    public var values: [Double]
    public var theme = Theme.standard

    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public init(values: [Double]) { self.values = values }

    public var text: String {
        let maximum = values.max() ?? 0
        let minimum = min(0, values.min() ?? 0)
        let span = maximum - minimum
        return String(values.map { value in
            guard span > 0 else { return Self.levels[0] }
            return Self.levels[min(7, Int((value - minimum) / span * 7.999))]
        })
    }

    public func render(into buffer: inout CellBuffer, area: Rect) {
        guard area.height > 0 else { return }
        buffer.write(String(text.suffix(area.width)), at: Point(x: area.x, y: area.y), maxWidth: area.width, style: theme.chart, ellipsis: false)
    }
}
