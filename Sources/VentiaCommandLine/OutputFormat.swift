import CSV
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
    /// module read both).
    public func csv(header: Bool = true) throws -> String {
        guard header || !rows.isEmpty else { return "" }
        let stream = ByteCollector()
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        if header { try writer.write(row: columns) }
        for row in rows { try writer.write(row: row) }
        return String(decoding: stream.bytes, as: UTF8.self) + "\r\n"
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

/// An output stream into a byte array. CSVWriter writes one byte a call; Foundation's memory
/// stream took a quarter of listing 100,000 contacts doing so.
final class ByteCollector: OutputStream {
    private(set) var bytes: [UInt8] = []
    private var status = Stream.Status.notOpen

    init() { super.init(toMemory: ()) }
    required init(toMemory: ()) { super.init(toMemory: ()) }

    override func open() { status = .open }
    override func close() { status = .closed }
    override var streamStatus: Stream.Status { status }
    override var hasSpaceAvailable: Bool { true }

    override func write(_ buffer: UnsafePointer<UInt8>, maxLength length: Int) -> Int {
        bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: length))
        return length
    }
}
