import Foundation

/// The elements of a JSON array answer as the bytes upstream sent, so that the copy serves each
/// contact exactly as it came (key order, number forms and escapes included), not re-encoded.
enum RawJSONArray {
    /// Each top-level element's bytes, or nil when `data` is not one well-nested JSON array.
    static func elements(of data: Data) -> [Data]? {
        let bytes = [UInt8](data)
        var index = 0
        func skipSpace() { while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 } }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
        index += 1
        var elements: [Data] = []
        var depth = 0
        var inString = false
        var start: Int?
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: break
            case UInt8(ascii: "\""):
                inString = true
                if start == nil { start = index }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                if start == nil { start = index }
                depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == 0 {
                    guard byte == UInt8(ascii: "]") else { return nil }
                    if let begun = start { elements.append(Data(bytes[begun..<trimmedEnd(bytes, index)])) }
                    index += 1
                    skipSpace()
                    return index == bytes.count ? elements : nil
                }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 {
                    guard let begun = start else { return nil }
                    elements.append(Data(bytes[begun..<trimmedEnd(bytes, index)]))
                    start = nil
                }
            default:
                if start == nil { start = index }
            }
            index += 1
        }
        return nil
    }

    /// Where an element ends before `index`, without the spaces before a `,` or `]`.
    private static func trimmedEnd(_ bytes: [UInt8], _ index: Int) -> Int {
        var end = index
        while end > 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[end - 1]) { end -= 1 }
        return end
    }

    /// An array of elements as the copy serves a page: `[a,b,…]`.
    static func joined(_ elements: [Data]) -> Data {
        var data = Data("[".utf8)
        for (position, element) in elements.enumerated() {
            if position > 0 { data.append(UInt8(ascii: ",")) }
            data.append(element)
        }
        data.append(UInt8(ascii: "]"))
        return data
    }
}
