import Foundation

/// An account's API key: four groups of seven letters or digits joined by `-`.
/// Its description never shows the key, so it cannot leak through logs or errors.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let secret: String

    public init(_ secret: String) {
        self.secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func isWellFormed(_ text: String) -> Bool {
        // Byte by byte: the local server checks every request's key.
        let utf8 = text.utf8
        guard utf8.count == 31 else { return false }
        for (index, byte) in utf8.enumerated() {
            if index % 8 == 7 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let isDigit = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                let isLetter = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                guard isDigit || isLetter else { return false }
            }
        }
        return true
    }

    public var isWellFormed: Bool { Self.isWellFormed(secret) }

    /// The last four characters, enough for a person to tell two keys apart.
    public var hint: String { "…" + String(secret.suffix(4)) }

    public var description: String { "APIKey(\(hint))" }
    public var debugDescription: String { description }
    /// `dump` and debuggers see the hint only.
    public var customMirror: Mirror { Mirror(self, children: ["hint": hint]) }

    /// Removes the key from a piece of text that might echo it (a server message, a URL).
    public func redact(_ text: String) -> String {
        guard !secret.isEmpty else { return text }
        return text.replacingOccurrences(of: secret, with: "[api-key]")
    }
}
