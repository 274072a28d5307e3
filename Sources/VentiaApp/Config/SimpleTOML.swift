import Foundation

/// Reads the small part of TOML that ventia's config uses: `key = value` lines with strings,
/// integers and booleans, `[section]` headers and `#` comments. Anything else is an error that names
/// the line, so a typo never passes silently.
public enum SimpleTOML {
    public enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case boolean(Bool)
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Keys come back dotted with their section: `[ui] keymap = "emacs"` is `ui.keymap`.
    public static func parse(_ text: String) -> Result<[String: Value], ParseError> {
        var values: [String: Value] = [:]
        var section = ""
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = stripComment(String(rawLine)).trimmingSpaces
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else { return .failure(ParseError(line: number, message: "a section header looks like [name]")) }
                section = String(line.dropFirst().dropLast()).trimmingSpaces
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                return .failure(ParseError(line: number, message: "expected key = value, found \"\(line.prefix(40))\""))
            }
            let key = String(line[..<equals]).trimmingSpaces.trimmingQuotes
            let rawValue = String(line[line.index(after: equals)...]).trimmingSpaces
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                return .failure(ParseError(line: number, message: "\"\(key.prefix(40))\" is not a valid key"))
            }
            guard let value = parseValue(rawValue) else {
                return .failure(ParseError(line: number, message: "cannot read the value of \(key): use \"text\", a number, true or false"))
            }
            let fullKey = section.isEmpty ? key : "\(section).\(key)"
            if values[fullKey] != nil { return .failure(ParseError(line: number, message: "\(fullKey) is set twice")) }
            values[fullKey] = value
        }
        return .success(values)
    }

    static func parseValue(_ text: String) -> Value? {
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        if let number = Int(text.replacingOccurrences(of: "_", with: "")) { return .integer(number) }
        if text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") { return .string(String(text.dropFirst().dropLast())) }
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return nil }
        var result = ""
        var escaping = false
        for character in text.dropFirst().dropLast() {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\"": result.append("\"")
                case "\\": result.append("\\")
                default: return nil
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                return nil
            } else {
                result.append(character)
            }
        }
        return escaping ? nil : .string(result)
    }

    /// Drops a `#` comment that is not inside a string.
    static func stripComment(_ line: String) -> String {
        var inString: Character?
        var previous: Character = " "
        for (index, character) in zip(line.indices, line) {
            if let quote = inString {
                if character == quote && previous != "\\" { inString = nil }
            } else if character == "\"" || character == "'" {
                inString = character
            } else if character == "#" {
                return String(line[..<index])
            }
            previous = character
        }
        return line
    }
}

extension String {
    var trimmingSpaces: String { trimmingCharacters(in: .whitespacesAndNewlines) }

    var trimmingQuotes: String {
        count >= 2 && hasPrefix("\"") && hasSuffix("\"") ? String(dropFirst().dropLast()) : self
    }
}
