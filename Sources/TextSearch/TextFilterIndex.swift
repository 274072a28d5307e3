import Foundation

/// Substring filtering over many rows, fast enough to run on every keystroke: each row's text is
/// folded once (case and accents ignored: "suarez" finds "Suárez") and searched as bytes, and a
/// query that extends the previous one only re-checks the rows that matched before.
public struct TextFilterIndex: Sendable {
    private var folded: [[UInt8]] = []
    private var lastQuery: [UInt8] = []
    private var lastMatches: [Int] = []

    public init(texts: [String] = []) {
        append(contentsOf: texts)
    }

    public var count: Int { folded.count }

    /// Adds rows (a page that just arrived, say); they are searched by the next `filter`.
    public mutating func append(contentsOf texts: [String]) {
        folded.reserveCapacity(folded.count + texts.count)
        for text in texts { folded.append(Self.fold(text)) }
        lastQuery = []
        lastMatches = []
    }

    public mutating func removeAll() {
        folded.removeAll()
        lastQuery = []
        lastMatches = []
    }

    /// `TextFolding.fold`, as UTF-8.
    public static func fold(_ text: String) -> [UInt8] { Array(TextFolding.fold(text).utf8) }

    /// Indices of the rows that contain `query`, in row order.
    public mutating func filter(_ query: String) -> [Int] {
        let needle = Self.fold(query)
        guard !needle.isEmpty else {
            lastQuery = []
            lastMatches = []
            return Array(folded.indices)
        }
        let candidates: [Int]
        if !lastQuery.isEmpty, needle.starts(with: lastQuery) {
            candidates = lastMatches
        } else {
            candidates = Array(folded.indices)
        }
        let matches = needle.withUnsafeBufferPointer { needleBytes in
            candidates.filter { index in
                folded[index].withUnsafeBufferPointer { Self.contains($0, needleBytes) }
            }
        }
        lastQuery = needle
        lastMatches = matches
        return matches
    }

    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = needle.count
        guard count <= haystack.count, let first = needle.first else { return count == 0 }
        var index = 0
        let last = haystack.count - count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < count && haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == count { return true }
            }
            index += 1
        }
        return false
    }
}
