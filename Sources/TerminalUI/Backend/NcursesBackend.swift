import CNcurses
import Foundation

/// The only place that talks to curses: writes whole frames and lets ncurses send the difference.
@MainActor
public final class NcursesBackend: TerminalBackend {
    public private(set) var size: Size
    public let colorMode: ColorMode
    private var pairs: [PairKey: Int32] = [:]
    private let maximumPairs: Int
    private var isOpen = true

    private struct PairKey: Hashable {
        var foreground: Int32
        var background: Int32
    }

    /// Opens the terminal. Fails with a message a person can act on when TERM is unknown or the
    /// locale cannot show UTF-8. Every terminating signal restores the terminal and ends the
    /// process; with `crashReport` (an open file descriptor) the signal, a crash's stack and
    /// whatever is written to standard error while the screen is drawn go there.
    public init(environment: [String: String], crashReport: Int32 = -1) throws(TerminalSetupError) {
        guard ventia_setup_locale() == 1 else {
            throw .locale("this terminal's locale is not UTF-8 and no C.UTF-8 locale is installed; set LANG=C.UTF-8")
        }
        ventia_install_signal_handlers(crashReport)
        guard ventia_curses_start() == 0 else {
            let term = environment["TERM"] ?? ""
            throw .terminal(
                term.isEmpty
                    ? "TERM is not set; run inside a terminal, or set TERM (for example TERM=xterm-256color)"
                    : "the terminal type \"\(TextSanitizer.clean(term))\" is unknown here; try TERM=xterm-256color")
        }
        colorMode = ColorMode.detect(environment: environment, terminalColors: Int(ventia_curses_colors()))
        maximumPairs = Int(ventia_curses_color_pairs())
        size = Size(width: Int(ventia_curses_cols()), height: Int(ventia_curses_lines()))
    }

    /// Re-reads the terminal size after SIGWINCH.
    public func refreshSize() {
        ventia_curses_resize()
        size = Size(width: Int(ventia_curses_cols()), height: Int(ventia_curses_lines()))
        ventia_curses_clear()
    }

    public func present(_ buffer: CellBuffer, cursor: Point?) {
        guard isOpen else { return }
        let rows = min(buffer.size.height, size.height)
        let columns = min(buffer.size.width, size.width)
        var wide: [wchar_t] = [0, 0, 0, 0, 0, 0]
        for y in 0..<rows {
            var x = 0
            while x < columns {
                let cell = buffer[x, y]
                if cell.isContinuation {
                    x += 1
                    continue
                }
                let style = colorMode.adapt(cell.style)
                var count = 0
                for scalar in cell.text.unicodeScalars where count < 5 {
                    wide[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
                wide[count] = 0
                // A wide grapheme in the last column cannot be drawn whole: draw a space instead.
                if DisplayWidth.of(cell.text) == 2 && x == columns - 1 {
                    wide[0] = 0x20
                    wide[1] = 0
                }
                _ = ventia_curses_put(Int32(y), Int32(x), &wide, attributes(style.attributes), pair(for: style))
                x += 1
            }
        }
        if let cursor, cursor.x < size.width, cursor.y < size.height {
            ventia_curses_refresh(1, Int32(cursor.y), Int32(cursor.x))
        } else {
            ventia_curses_refresh(0, 0, 0)
        }
    }

    /// Writes an alert's bytes to the terminal, between frames; nothing when standard output is not
    /// a terminal (a pipe, a file) or curses has let it go.
    public func alert(_ alert: TerminalAlert, title: String, text: String) {
        guard isOpen, isatty(1) == 1 else { return }
        let bytes = alert.bytes(title: title, text: text)
        bytes.withUnsafeBytes { buffer in _ = write(1, buffer.baseAddress, buffer.count) }
    }

    /// Asks the terminal for mouse reports (clicks and the wheel) or stops them. Shift held keeps
    /// the terminal's own text selection, as terminals provide.
    public func setMouse(_ on: Bool) { ventia_curses_set_mouse(on ? 1 : 0) }

    /// Hands the terminal to another program (an editor) until `resume()`.
    public func suspend() { ventia_curses_suspend() }

    public func resume() {
        ventia_curses_resume()
        refreshSize()
    }

    /// Leaves curses mode; the terminal is as it was before.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        ventia_curses_stop()
    }

    private func attributes(_ attributes: TextAttributes) -> UInt32 {
        var bits: UInt32 = 0
        if attributes.contains(.bold) { bits |= UInt32(VENTIA_ATTR_BOLD) }
        if attributes.contains(.dim) { bits |= UInt32(VENTIA_ATTR_DIM) }
        if attributes.contains(.italic) { bits |= UInt32(VENTIA_ATTR_ITALIC) }
        if attributes.contains(.underline) { bits |= UInt32(VENTIA_ATTR_UNDERLINE) }
        if attributes.contains(.reverse) { bits |= UInt32(VENTIA_ATTR_REVERSE) }
        return bits
    }

    private func pair(for style: Style) -> Int32 {
        let key = PairKey(foreground: colorNumber(style.foreground), background: colorNumber(style.background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let existing = pairs[key] { return existing }
        let next = Int32(pairs.count + 1)
        guard Int(next) < maximumPairs else { return 0 }
        _ = ventia_curses_init_pair(next, key.foreground, key.background)
        pairs[key] = next
        return next
    }

    private func colorNumber(_ color: Color) -> Int32 {
        switch color {
        case .default: return -1
        case .ansi(let index): return Int32(index)
        case .indexed(let index): return Int32(index)
        case .rgb: return colorNumber(color.indexed256)
        }
    }
}

public enum TerminalSetupError: Error, CustomStringConvertible {
    case terminal(String)
    case locale(String)

    public var description: String {
        switch self {
        case .terminal(let message), .locale(let message): return message
        }
    }
}

/// A secret typed at the terminal (an API key): not echoed while typed, and the echo given back
/// however the process ends, Ctrl-C, SIGTERM and SIGHUP included.
public enum HiddenTerminalInput {
    /// The line typed; when standard input is not a terminal, the line read from it as it is.
    public static func readLine() -> String? {
        let hidden = ventia_hide_echo() == 1
        defer { if hidden { ventia_show_echo() } }
        return Swift.readLine(strippingNewline: true)
    }
}
