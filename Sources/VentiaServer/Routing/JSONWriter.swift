import Foundation
import VentiaAPI

/// Writes a `JSONValue` as the API's coder does (`VentiaJSON.encoder()`: sorted keys, slashes
/// unescaped, whole numbers without a fraction), byte for byte, several times faster: every
/// answer goes out through here. A test compares the two on random values.
enum JSONWriter {
    /// The text, or nil for a value JSON cannot hold (a number that is not finite).
    static func data(_ value: JSONValue) -> Data? {
        bytes(value).map { Data($0) }
    }

    static func bytes(_ value: JSONValue) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        guard write(value, into: &bytes) else { return nil }
        return bytes
    }

    static func string(_ value: JSONValue) -> String? {
        var bytes: [UInt8] = []
        guard write(value, into: &bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text; false (with part of it written) for a value JSON cannot hold.
    static func write(_ value: JSONValue, into bytes: inout [UInt8]) -> Bool {
        switch value {
        case .null: bytes += "null".utf8
        case .bool(let flag): bytes += (flag ? "true" : "false").utf8
        case .number(let number):
            guard number.isFinite else { return false }
            if number.rounded() == number, abs(number) < 1e15 {
                bytes += String(Int64(number)).utf8
            } else {
                var text = number.description
                if text.hasSuffix(".0") { text.removeLast(2) }
                bytes += text.utf8
            }
        case .string(let text): write(text, into: &bytes)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                guard write(item, into: &bytes) else { return false }
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            // One member (a note's body, a reminder's date) needs no sorting.
            if members.count == 1, let (key, member) = members.first {
                write(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                guard write(member, into: &bytes) else { return false }
                bytes.append(UInt8(ascii: "}"))
                return true
            }
            // Keys in the order of their UTF-8 bytes, as Foundation sorts them (not Swift's normalised `<`).
            for (index, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                guard let member = members[key], write(member, into: &bytes) else { return false }
            }
            bytes.append(UInt8(ascii: "}"))
        }
        return true
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func write(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Most text needs no escape: then it goes in whole, scanned and copied as one buffer.
        let copied: Bool? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        if copied == true { return }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
