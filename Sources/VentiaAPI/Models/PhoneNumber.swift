import Foundation

/// The phone rule the API applies, shared by the client's forms and the local server.
public enum PhoneNumber {
    /// ASCII digits with optional `+`, spaces, dashes, dots or parentheses; 6 to 15 digits.
    public static func isPlausible(_ text: String) -> Bool {
        let digits = text.filter(\.isASCII).filter(\.isNumber)
        let allowed = text.allSatisfy { $0.isASCII && ($0.isNumber || " +-().".contains($0)) }
        return allowed && (6...15).contains(digits.count)
    }

    /// Digits only, for matching numbers written differently.
    public static func normalized(_ text: String) -> String {
        // ASCII text (nearly every number) is filtered by bytes, without walking Characters.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }, as: UTF8.self)
        }
        return String(text.filter { $0.isASCII && $0.isNumber })
    }
}
