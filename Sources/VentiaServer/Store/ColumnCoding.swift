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
        var bytes: [UInt8] = []
        append(strings, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func append(_ strings: [String], to bytes: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        bytes.append(UInt8(ascii: "["))
        for (index, string) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in string.utf8 {
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), byte]
                case 0..<0x20: bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    static func strings(_ column: String) throws -> [String] {
        // The usual list holds no escape: its items are the text between quotes.
        if !column.utf8.contains(UInt8(ascii: "\\")) {
            let utf8 = Array(column.utf8)
            guard utf8.first == UInt8(ascii: "["), utf8.last == UInt8(ascii: "]") else {
                throw StoreCorruption(what: "a list column", value: column)
            }
            var result: [String] = []
            var index = 1
            while index < utf8.count - 1 {
                guard utf8[index] == UInt8(ascii: "\"") else {
                    if utf8[index] == UInt8(ascii: ",") { index += 1; continue }
                    throw StoreCorruption(what: "a list column", value: column)
                }
                guard let end = utf8[(index + 1)...].firstIndex(of: UInt8(ascii: "\"")) else {
                    throw StoreCorruption(what: "a list column", value: column)
                }
                result.append(String(decoding: utf8[(index + 1)..<end], as: UTF8.self))
                index = end + 1
            }
            return result
        }
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

/// Ids in the store: the 24 hex digits every id of this server has, packed into 12 bytes (an id
/// appears several times a contact and a timeline entry, and this halves each); other text as is.
enum StoredId {
    static func packed(_ id: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        return append(id, to: &bytes) ? bytes : nil
    }

    /// Appends the 12 bytes of a 24-hex id; false (and nothing appended) for any other text.
    static func append(_ id: String, to bytes: inout [UInt8]) -> Bool {
        guard id.utf8.count == 24 else { return false }
        var id = id
        return id.withUTF8 { utf8 in
            var packed: (UInt64, UInt32) = (0, 0)
            for index in 0..<24 {
                guard let value = nibble(utf8[index]) else { return false }
                if index < 16 { packed.0 = packed.0 << 4 | UInt64(value) } else { packed.1 = packed.1 << 4 | UInt32(value) }
            }
            withUnsafeBytes(of: packed.0.bigEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: packed.1.bigEndian) { bytes.append(contentsOf: $0) }
            return true
        }
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    static func text(_ bytes: some Collection<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            func digit(_ value: UInt8) -> UInt8 { value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10 }
            var index = 0
            for byte in bytes {
                text[index] = digit(byte >> 4)
                text[index + 1] = digit(byte & 0xF)
                index += 2
            }
            return index
        }
    }

    /// The id whose 12 bytes are these two numbers, big-endian (as `ContactOrder.Key` holds it).
    static func text(high: UInt64, low: UInt32) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 12) { bytes in
            for index in 0..<8 { bytes[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(index))) }
            for index in 0..<4 { bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (24 - 8 * UInt32(index))) }
            return text(bytes)
        }
    }

    /// A new id's text: its creation second, then its counter (a MongoDB ObjectId's layout).
    static func text(seconds: UInt32, counter: UInt64) -> String {
        text(high: UInt64(seconds) << 32 | counter >> 32, low: UInt32(truncatingIfNeeded: counter))
    }

    /// An id as a statement argument, in the form it is stored in.
    static func argument(_ id: String) -> any DatabaseValueConvertible {
        packed(id).map { Data($0) } ?? id
    }
}

/// A value in the store that this server could not have written.
struct StoreCorruption: Error, CustomStringConvertible {
    var what: String
    var value: String
    var description: String { "the data file holds \(what) this server cannot read: \(value.prefix(60))" }
}
