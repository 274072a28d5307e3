/// Turns the bytes a terminal sends into events: UTF-8 text, control keys, xterm escape sequences
/// (both cursor modes, with modifiers), Alt as an ESC prefix, and bracketed paste.
/// A lone ESC stays pending until `flushPendingEscape()` (the caller's short timer) or more bytes.
public struct KeyDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var pasteBuffer: [UInt8]?

    public init() {}

    /// Whether a lone ESC (or an unfinished sequence) waits for more bytes.
    public var hasPendingInput: Bool { !buffer.isEmpty }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [TerminalEvent] {
        buffer.append(contentsOf: bytes)
        return drain(final: false)
    }

    /// Called when no byte followed an ESC in time: it was the Escape key.
    public mutating func flushPendingEscape() -> [TerminalEvent] {
        drain(final: true)
    }

    private mutating func drain(final: Bool) -> [TerminalEvent] {
        var events: [TerminalEvent] = []
        var index = 0
        while index < buffer.count {
            if pasteBuffer != nil {
                if let end = find(Self.pasteEnd, from: index) {
                    pasteBuffer?.append(contentsOf: buffer[index..<end])
                    events.append(.paste(String(decoding: pasteBuffer ?? [], as: UTF8.self)))
                    pasteBuffer = nil
                    index = end + Self.pasteEnd.count
                    continue
                }
                // Keep a possible partial end marker in the buffer; take the rest as pasted text.
                let keep = min(Self.pasteEnd.count - 1, buffer.count - index)
                pasteBuffer?.append(contentsOf: buffer[index..<(buffer.count - keep)])
                index = buffer.count - keep
                if final {
                    pasteBuffer?.append(contentsOf: buffer[index...])
                    index = buffer.count
                }
                break
            }
            switch decodeOne(at: index, final: final) {
            case .event(let event, let length):
                if let event { events.append(event) }
                index += length
            case .pasteStart(let length):
                pasteBuffer = []
                index += length
            case .incomplete:
                buffer.removeFirst(index)
                return events
            }
        }
        buffer.removeFirst(min(index, buffer.count))
        return events
    }

    private enum Step {
        case event(TerminalEvent?, Int)
        case pasteStart(Int)
        case incomplete
    }

    static let pasteStart: [UInt8] = Array("\u{1B}[200~".utf8)
    static let pasteEnd: [UInt8] = Array("\u{1B}[201~".utf8)

    private func find(_ pattern: [UInt8], from start: Int) -> Int? {
        guard buffer.count - start >= pattern.count else { return nil }
        for index in start...(buffer.count - pattern.count) where buffer[index] == pattern[0] {
            if Array(buffer[index..<index + pattern.count]) == pattern { return index }
        }
        return nil
    }

    private func decodeOne(at index: Int, final: Bool) -> Step {
        let byte = buffer[index]
        switch byte {
        case 0x1B:
            return decodeEscape(at: index, final: final)
        case 0x0D, 0x0A: return .event(.key(Key(.enter)), 1)
        case 0x09: return .event(.key(Key(.tab)), 1)
        case 0x7F, 0x08: return .event(.key(Key(.backspace)), 1)
        case 0x00: return .event(.key(Key(.char(" "), .ctrl)), 1)
        case 0x01...0x1A:
            return .event(.key(Key(.char(Character(Unicode.Scalar(byte + 0x60))), .ctrl)), 1)
        case 0x1C...0x1F:
            return .event(.key(Key(.char(Character(Unicode.Scalar(byte + 0x40))), .ctrl)), 1)
        default:
            return decodeUTF8(at: index, final: final).map { character, length in .event(.key(Key(.char(character))), length) } ?? .incomplete
        }
    }

    /// One UTF-8 character; an invalid byte becomes U+FFFD rather than stalling input.
    private func decodeUTF8(at index: Int, final: Bool) -> (Character, Int)? {
        let lead = buffer[index]
        let length: Int
        switch lead {
        case 0x00..<0x80: length = 1
        case 0xC2..<0xE0: length = 2
        case 0xE0..<0xF0: length = 3
        case 0xF0..<0xF5: length = 4
        default: return ("\u{FFFD}", 1)
        }
        guard index + length <= buffer.count else { return final ? ("\u{FFFD}", buffer.count - index) : nil }
        let bytes = buffer[index..<index + length]
        guard bytes.dropFirst().allSatisfy({ $0 & 0xC0 == 0x80 }), let scalar = String(validating: bytes, as: UTF8.self)?.unicodeScalars.first
        else { return ("\u{FFFD}", 1) }
        return (Character(scalar), length)
    }

    private func decodeEscape(at index: Int, final: Bool) -> Step {
        guard index + 1 < buffer.count else {
            return final ? .event(.key(Key(.escape)), 1) : .incomplete
        }
        let next = buffer[index + 1]
        if next == UInt8(ascii: "[") { return decodeCSI(at: index, final: final) }
        if next == UInt8(ascii: "O") {
            guard index + 2 < buffer.count else { return final ? .event(.key(Key(.char("O"), .alt)), 2) : .incomplete }
            if let code = Self.ss3[buffer[index + 2]] { return .event(.key(Key(code)), 3) }
            return .event(.key(Key(.char("O"), .alt)), 2)
        }
        if next == 0x1B { return .event(.key(Key(.escape)), 1) }
        // ESC followed by a key: that key with Alt.
        switch decodeOne(at: index + 1, final: final) {
        case .event(.key(var key)?, let length):
            key.modifiers.insert(.alt)
            return .event(.key(key), 1 + length)
        case .incomplete: return .incomplete
        default: return .event(.key(Key(.escape)), 1)
        }
    }

    static let ss3: [UInt8: Key.Code] = [
        UInt8(ascii: "A"): .up, UInt8(ascii: "B"): .down, UInt8(ascii: "C"): .right, UInt8(ascii: "D"): .left,
        UInt8(ascii: "H"): .home, UInt8(ascii: "F"): .end, UInt8(ascii: "P"): .function(1), UInt8(ascii: "Q"): .function(2),
        UInt8(ascii: "R"): .function(3), UInt8(ascii: "S"): .function(4), UInt8(ascii: "M"): .enter,
    ]

    static let tildeCodes: [Int: Key.Code] = [
        1: .home, 2: .insert, 3: .delete, 4: .end, 5: .pageUp, 6: .pageDown, 7: .home, 8: .end,
        11: .function(1), 12: .function(2), 13: .function(3), 14: .function(4), 15: .function(5), 17: .function(6),
        18: .function(7), 19: .function(8), 20: .function(9), 21: .function(10), 23: .function(11), 24: .function(12),
    ]

    /// `ESC [ params final`: arrows, Home/End, tilde keys, Shift-Tab, modifiers as `;N`.
    private func decodeCSI(at index: Int, final: Bool) -> Step {
        var cursor = index + 2
        while cursor < buffer.count, (0x30...0x3F).contains(buffer[cursor]) { cursor += 1 }
        while cursor < buffer.count, (0x20...0x2F).contains(buffer[cursor]) { cursor += 1 }
        guard cursor < buffer.count else {
            return final ? .event(.key(Key(.char("["), .alt)), 2) : .incomplete
        }
        let finalByte = buffer[cursor]
        let length = cursor - index + 1
        guard (0x40...0x7E).contains(finalByte) else { return .event(nil, length) }
        if buffer[index + 2] == UInt8(ascii: "<"), finalByte == UInt8(ascii: "M") || finalByte == UInt8(ascii: "m") {
            let fields = String(decoding: buffer[(index + 3)..<cursor], as: UTF8.self)
            return .event(Self.mouse(fields, pressed: finalByte == UInt8(ascii: "M")).map(TerminalEvent.mouse), length)
        }
        let parameters = String(decoding: buffer[(index + 2)..<cursor], as: UTF8.self).split(separator: ";", omittingEmptySubsequences: false)
            .map { Int($0) }
        let modifiers = Self.modifiers(parameters.count > 1 ? parameters[1] : nil)
        switch finalByte {
        case UInt8(ascii: "~"):
            let number = parameters.first.flatMap { $0 } ?? 0
            if number == 200 { return .pasteStart(length) }
            if let code = Self.tildeCodes[number] { return .event(.key(Key(code, modifiers)), length) }
            return .event(nil, length)
        case UInt8(ascii: "Z"):
            return .event(.key(Key(.tab, .shift)), length)
        default:
            if let code = Self.ss3[finalByte] { return .event(.key(Key(code, modifiers)), length) }
            return .event(nil, length)  // an unknown sequence is swallowed, never typed as text
        }
    }

    /// `ESC [ < code ; column ; row M` (a press, a drag, the wheel) or `… m` (a release), columns
    /// and rows from 1; nil for a report that makes no sense (swallowed, never typed).
    static func mouse(_ fields: String, pressed: Bool) -> MouseEvent? {
        let numbers = fields.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        guard numbers.count == 3, let code = numbers[0], let column = numbers[1], let row = numbers[2], code >= 0, column >= 1, row >= 1 else {
            return nil
        }
        var modifiers: Key.Modifiers = []
        if code & 4 != 0 { modifiers.insert(.shift) }
        if code & 8 != 0 { modifiers.insert(.alt) }
        if code & 16 != 0 { modifiers.insert(.ctrl) }
        let position = Point(x: column - 1, y: row - 1)
        if code & 64 != 0 {
            switch code & 3 {
            case 0: return MouseEvent(.wheelUp, at: position, modifiers: modifiers)
            case 1: return MouseEvent(.wheelDown, at: position, modifiers: modifiers)
            default: return nil  // sideways wheels
            }
        }
        guard pressed else { return MouseEvent(.release, at: position, modifiers: modifiers) }
        let button: MouseEvent.Button
        switch code & 3 {
        case 0: button = .left
        case 1: button = .middle
        case 2: button = .right
        default: return nil
        }
        return MouseEvent(code & 32 != 0 ? .drag(button) : .press(button), at: position, modifiers: modifiers)
    }

    /// xterm's modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4).
    static func modifiers(_ parameter: Int??) -> Key.Modifiers {
        guard let value = parameter ?? nil, value > 1 else { return [] }
        let bits = value - 1
        var modifiers: Key.Modifiers = []
        if bits & 1 != 0 { modifiers.insert(.shift) }
        if bits & 2 != 0 { modifiers.insert(.alt) }
        if bits & 4 != 0 { modifiers.insert(.ctrl) }
        return modifiers
    }
}
