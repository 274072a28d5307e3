import Foundation
import VentiaAPI
import VentiaCommandLine

/// Writing a listing in the format asked for.
enum Listing {
    /// The server's JSON, the CSV of `table`, or text (`text`, else `table` aligned; nothing for no rows).
    static func render(_ format: OutputFormat, json: @autoclosure () -> JSONValue, table: @autoclosure () -> RecordTable, text: (() -> String)? = nil) -> String {
        switch format {
        case .json: return self.json(json())
        case .csv: return table().csv()
        case .text:
            if let text { return text() }
            let rows = table()
            return rows.rows.isEmpty ? "" : rows.text()
        }
    }

    /// The server's JSON as it sent it, keys sorted so that output is stable.
    static func json(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null") + "\n"
    }
}
