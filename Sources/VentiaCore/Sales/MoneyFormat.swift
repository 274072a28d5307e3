import Foundation

/// Amounts as the user's locale writes them (`es_UY`: `1.300.800,50`), in a currency when one is
/// configured (`$ 1.300.800,50`). Whole amounts show no decimals; others show two.
public struct MoneyFormat: Sendable {
    public let locale: Locale
    /// An ISO 4217 code (`UYU`), or nil for plain numbers.
    public let currency: String?

    /// Plain numbers (`1300800.5`), as a C locale writes them: until a configuration says otherwise.
    public static let plain = MoneyFormat(locale: Locale(identifier: "en_US_POSIX"))

    public init(locale: Locale, currency: String? = nil) {
        self.locale = locale
        self.currency = currency
    }

    public func string(_ amount: Double) -> String {
        let whole = abs(amount) >= 1e13 || (amount * 100).rounded().truncatingRemainder(dividingBy: 100) == 0
        let digits = whole ? 0 : 2
        if let currency {
            return amount.formatted(.currency(code: currency).locale(locale).precision(.fractionLength(digits)))
        }
        return amount.formatted(.number.locale(locale).precision(.fractionLength(digits)))
    }

    /// Whether `code` is a currency Foundation knows (three letters, `UYU`, `USD`, …).
    public static func isKnownCurrency(_ code: String) -> Bool {
        code.count == 3 && Locale.commonISOCurrencyCodes.contains(code.uppercased())
    }

    /// The locale for numbers the environment names, as a C program reads it: `LC_ALL`, then
    /// `LC_NUMERIC`, then `LANG` (`es_UY.UTF-8` → `es_UY`). Unset, `C` or `POSIX`: `en_US_POSIX`.
    public static func locale(fromEnvironment environment: [String: String]) -> Locale {
        let value = ["LC_ALL", "LC_NUMERIC", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let name = value.split(separator: ".").first.map(String.init)?.split(separator: "@").first.map(String.init) ?? ""
        guard !name.isEmpty, name != "C", name != "POSIX" else { return plain.locale }
        return Locale(identifier: name)
    }
}
