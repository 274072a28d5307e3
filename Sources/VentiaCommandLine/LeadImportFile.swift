import CSV
import Foundation
import VentiaAPI

/// One lead row of an import file, as read: where it is, the contact, and the agent it names.
public struct LeadRow: Sendable, Equatable {
    /// The line the row starts on (the header is line 1).
    public var line: Int
    public var input: ContactInput
    /// The `agent` column (a user's name, email or id), when the file has one.
    public var agent: String?
}

/// A row that cannot be sent, and why; reported with its line and skipped.
public struct LeadRowProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    /// The row's name, when it has one.
    public var name = ""
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

/// A CSV of campaign leads (`ventia lead import`): a header row naming the columns firstName,
/// lastName, phone, email, detail, and optionally origin and agent, in any order and any case;
/// several phones or emails in one cell separated by `;`.
public enum LeadImportFile {
    public static let columns = ["firstName", "lastName", "phone", "email", "detail", "origin", "agent"]

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The file as a whole cannot be used (no header, an unknown column, not CSV at all).
        case unusable(String)
        public var description: String {
            switch self {
            case .unusable(let message): return message
            }
        }
    }

    /// The rows that can be sent and the problems of those that cannot. `origin` fills an empty
    /// or missing origin column.
    public static func read(_ text: String, origin: String?) -> Result<(rows: [LeadRow], problems: [LeadRowProblem]), Failure> {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text  // a spreadsheet's byte-order mark
        let emptyFile = Failure.unusable("the file is empty: the first line must name the columns (\(columns.joined(separator: ",")))")
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .failure(emptyFile) }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: body, hasHeaderRow: true, trimFields: true)
        } catch {
            return .failure(.unusable("not a CSV file: \(error)"))
        }
        let header = reader.headerRow ?? []
        guard !header.isEmpty, header != [""] else { return .failure(emptyFile) }
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() {
            let folded = name.trimmingCharacters(in: .whitespaces).lowercased()
            // `phones` and `emails` are accepted for the singular names.
            let known = columns.first { $0.lowercased() == folded || $0.lowercased() + "s" == folded }
            guard let known else {
                return .failure(.unusable("line 1: unknown column \"\(name.prefix(40))\" (the columns are \(columns.joined(separator: ", ")))"))
            }
            guard index[known] == nil else { return .failure(.unusable("line 1: the column \(known) is named twice")) }
            index[known] = position
        }
        guard index["firstName"] != nil, index["phone"] != nil || index["email"] != nil else {
            return .failure(.unusable("line 1: the columns must include firstName and phone or email (they are \(columns.joined(separator: ", ")))"))
        }
        var rows: [LeadRow] = []
        var problems: [LeadRowProblem] = []
        var line = 2
        while let fields = reader.next() {
            let rowLine = line
            // A quoted field may hold line breaks: the next row starts that much lower.
            line += 1 + fields.reduce(0) { $0 + $1.filter { $0 == "\n" || $0 == "\r\n" }.count }
            if fields.allSatisfy(\.isEmpty) { continue }  // a blank line
            guard fields.count == header.count else {
                problems.append(LeadRowProblem(line: rowLine, message: "has \(fields.count) field\(fields.count == 1 ? "" : "s"), the header \(header.count)"))
                continue
            }
            func cell(_ name: String) -> String { index[name].map { fields[$0].trimmingCharacters(in: .whitespaces) } ?? "" }
            func list(_ name: String) -> [String] { cell(name).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            let input = ContactInput(
                firstName: cell("firstName"), lastName: cell("lastName"), emails: list("email"), phones: list("phone"), detail: cell("detail"),
                origin: cell("origin").isEmpty ? origin ?? "" : cell("origin"))
            var errors = ContactFieldRules.check(input).map { "\($0.field) \($0.message)" }
            if input.phones.isEmpty && input.emails.isEmpty { errors.insert("needs a phone or an email", at: 0) }
            if input.origin.isEmpty { errors.removeAll { $0.hasPrefix("origin") } }  // said once for the file, by the command
            guard errors.isEmpty else {
                let name = [input.firstName, input.lastName].filter { !$0.isEmpty }.joined(separator: " ")
                problems.append(LeadRowProblem(line: rowLine, name: name, message: errors.joined(separator: "; ")))
                continue
            }
            rows.append(LeadRow(line: rowLine, input: input, agent: index["agent"] == nil || cell("agent").isEmpty ? nil : cell("agent")))
        }
        if let error = reader.error {
            problems.append(LeadRowProblem(line: line, message: "the rest of the file cannot be read: \(error)"))
        }
        return .success((rows, problems))
    }
}
