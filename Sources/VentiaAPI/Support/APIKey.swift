import Foundation

/// An account's API key: four groups of seven letters or digits joined by `-`.
/// Its description never shows the key, so it cannot leak through logs or errors.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let secret: String

    public init(_ secret: String) {
        self.secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func isWellFormed(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.count == 4
            && groups.allSatisfy { group in
                group.count == 7 && group.unicodeScalars.allSatisfy { $0.isASCII && CharacterSet.alphanumerics.contains($0) }
            }
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
