import Foundation
import GRDB
import VentiaAPI

/// How values that SQLite has no type for sit in a column.
enum ColumnCoding {
    /// Dates as seconds since 2001, the number `Date` itself holds, so every date reads back exactly.
    static func column(_ date: Date) -> Double { date.timeIntervalSinceReferenceDate }
    static func column(_ date: Date?) -> Double? { date?.timeIntervalSinceReferenceDate }
    static func date(_ seconds: Double) -> Date { Date(timeIntervalSinceReferenceDate: seconds) }
    static func date(_ seconds: Double?) -> Date? { seconds.map(Date.init(timeIntervalSinceReferenceDate:)) }

    /// A list of strings as a JSON array, written and read here without Foundation's coders: these
    /// columns are on every contact of every page.
    static func column(_ strings: [String]) -> String {
        var text = "["
        for (index, string) in strings.enumerated() {
            if index > 0 { text += "," }
            text += "\""
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
                default: text.unicodeScalars.append(scalar)
                }
            }
            text += "\""
        }
        return text + "]"
    }

    static func strings(_ column: String) throws -> [String] {
        var result: [String] = []
        var scalars = column.unicodeScalars.makeIterator()
        guard scalars.next() == "[" else { throw StoreCorruption(what: "a list column", value: column) }
        var current = String.UnicodeScalarView()
        var inString = false
        while let scalar = scalars.next() {
            if inString {
                switch scalar {
                case "\"":
                    result.append(String(current))
                    current = String.UnicodeScalarView()
                    inString = false
                case "\\":
                    switch scalars.next() {
                    case "\"": current.append("\"")
                    case "\\": current.append("\\")
                    case "u":
                        var hex = ""
                        for _ in 0..<4 { if let digit = scalars.next() { hex.unicodeScalars.append(digit) } }
                        guard let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) else {
                            throw StoreCorruption(what: "a list column", value: column)
                        }
                        current.append(decoded)
                    default: throw StoreCorruption(what: "a list column", value: column)
                    }
                default: current.append(scalar)
                }
            } else if scalar == "\"" {
                inString = true
            } else if scalar == "]" {
                return result
            } else if scalar != "," {
                throw StoreCorruption(what: "a list column", value: column)
            }
        }
        throw StoreCorruption(what: "a list column", value: column)
    }

    /// Free-form JSON (interaction content, lead additional data).
    static func column(_ value: JSONValue) -> String {
        JSONWriter.string(value) ?? "null"
    }

    static func json(_ column: String) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(column.utf8))
        } catch {
            throw StoreCorruption(what: "a JSON column", value: column)
        }
    }
}

/// A value in the store that this server could not have written.
struct StoreCorruption: Error, CustomStringConvertible {
    var what: String
    var value: String
    var description: String { "the data file holds \(what) this server cannot read: \(value.prefix(60))" }
}
