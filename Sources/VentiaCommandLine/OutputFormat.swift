import Foundation

/// How a listing is written to standard output.
public enum OutputFormat: Sendable, Equatable {
    /// Aligned columns for a person.
    case text
    /// A JSON array: the server's objects as it sent them.
    case json
    /// RFC 4180 CSV with a header row (fields quoted when they need it).
    case csv
}

/// Rows under named columns: what `--csv` writes and the text listing aligns.
public struct RecordTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The CSV text, header row first (unless `header` is false: the rows of a listing written a
    /// batch at a time), each line ended by CRLF as RFC 4180 has it (spreadsheets and Python's csv
    /// module read both). A field is quoted when it holds a comma, a quote or a line break.
    public func csv(header: Bool = true) -> String {
        var bytes: [UInt8] = []
        if header { Self.appendCSV(columns, to: &bytes) }
        for row in rows { Self.appendCSV(row, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    // By hand over UTF-8 rather than CSV.swift's writer, whose per-field search took 57% of
    // listing 100,000 contacts (perf, scripts/measure-listing.sh).
    private static func appendCSV(_ row: [String], to bytes: inout [UInt8]) {
        for (index, field) in row.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var field = field
            field.withUTF8 { utf8 in
                guard utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }) else {
                    bytes.append(contentsOf: utf8)
                    return
                }
                bytes.append(UInt8(ascii: "\""))
                for byte in utf8 {
                    if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                    bytes.append(byte)
                }
                bytes.append(UInt8(ascii: "\""))
            }
        }
        bytes.append(contentsOf: [13, 10])
    }

    /// Columns padded to their widest cell, two spaces apart; the last one is not padded.
    public func text() -> String {
        let all = [columns] + rows
        var widths = Array(repeating: 0, count: columns.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
