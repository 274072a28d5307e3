import Foundation

/// Text as every filter and search compares it: lower-case, accents removed ("Suárez" → "suarez").
/// The one fold of the package: the terminal toolkit's filters, the view models and the server use it.
public enum TextFolding {
    public static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
    }
}
