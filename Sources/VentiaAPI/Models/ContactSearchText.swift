import Foundation
import TextSearch

/// What a full-text index holds for a contact, and how typed text becomes a query: the mirror's
/// (FTS5, whose tokenizer folds case and accents: `unicode61 remove_diacritics 2`) and the team
/// gateway's (PostgreSQL, `words` folded here), so that both find the same contacts.
public enum ContactSearchText {
    /// Phone digits shorter than this are not indexed as a tail: too many numbers share them.
    static let shortestPhoneTail = 6

    /// Names, emails, every phone's digits with its tails (so `346003` or `099 346 003` finds
    /// `+59899346003`), the detail and the notes' text.
    public static func text(for contact: Contact, notes: [String] = []) -> String {
        var words = [contact.firstName, contact.lastName]
        words += contact.emails
        for phone in contact.phones { words += phoneTokens(phone) }
        words.append(contact.detail)
        words += notes
        return words.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The number's digits and each tail of them down to `shortestPhoneTail` digits.
    static func phoneTokens(_ phone: String) -> [String] {
        let digits = Array(PhoneNumber.normalized(phone))
        guard digits.count > shortestPhoneTail else { return digits.isEmpty ? [] : [String(digits)] }
        return (0...(digits.count - shortestPhoneTail)).map { String(digits[$0...]) }
    }

    /// The FTS5 query for what the user typed, or nil when nothing searchable is left. Text that is
    /// only a phone number (digits with `+ -().` and spaces) searches its digits, trunk zeros
    /// dropped; other text searches each word as a prefix, all words required.
    public static func query(_ typed: String) -> String? {
        let trimmed = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if let digits = phoneDigits(trimmed) { return "\"\(digits)\"*" }
        // A word without a letter or digit would be an empty phrase, which FTS5 refuses.
        let words = trimmed.split(whereSeparator: { $0.isWhitespace }).filter { $0.contains { $0.isLetter || $0.isNumber } }.map { word in
            "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\"*"
        }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// The contact's searchable words, folded (case and accents) and split at anything but a letter
    /// or a digit, as the mirror's tokenizer splits them.
    public static func words(for contact: Contact) -> String {
        split(TextFolding.fold(text(for: contact))).joined(separator: " ")
    }

    /// What the user typed as PostgreSQL `tsquery` text over `words`: a phone number's significant
    /// digits as a prefix, else each word as a prefix, all required; nil when nothing is left.
    public static func prefixQuery(_ typed: String) -> String? {
        let trimmed = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if let digits = phoneDigits(trimmed) { return digits + ":*" }
        let words = split(TextFolding.fold(trimmed))
        return words.isEmpty ? nil : words.map { $0 + ":*" }.joined(separator: " & ")
    }

    /// Text that is only a phone number (digits with `+ -().` and spaces, three digits or more):
    /// its digits, trunk zeros dropped.
    static func phoneDigits(_ trimmed: String) -> String? {
        let phoneCharacters = Set("0123456789+-(). ")
        let digits = trimmed.filter { $0.isASCII && $0.isNumber }
        guard trimmed.allSatisfy({ phoneCharacters.contains($0) }), digits.count >= 3 else { return nil }
        let significant = digits.drop { $0 == "0" }
        return significant.isEmpty ? digits : String(significant)
    }

    /// Runs of letters and digits.
    static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }
}
