import Foundation

/// The one place JSON is turned into models and back, so every decode reports failures the same way.
public enum VentiaJSON {
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = VentiaDate.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO-8601 date, got \"\(text.prefix(40))\"")
            }
            return date
        }
        return decoder
    }

    public static func encoder(sortedKeys: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = sortedKeys ? [.sortedKeys, .withoutEscapingSlashes] : [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(VentiaDate.format(date))
        }
        return encoder
    }

    /// Decodes `type`, turning any failure into `VentiaError.decoding` with the field path.
    /// A body that is not strict JSON (the reference's own samples carry trailing commas) is retried as JSON5.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(VentiaError) -> T {
        do {
            return try decoder().decode(type, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                let lenient = decoder()
                lenient.allowsJSON5 = true
                if let value = try? lenient.decode(type, from: data) { return value }
            }
            throw VentiaError.decoding(path: path(of: error), reason: reason(of: error))
        } catch {
            throw VentiaError.decoding(path: "", reason: "unreadable answer")
        }
    }

    /// `path: reason` for a decoding failure, as a person reads it.
    public static func describe(_ error: DecodingError) -> String {
        "\(path(of: error)): \(reason(of: error))"
    }

    static func path(of error: DecodingError) -> String {
        let codingPath: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            codingPath = context.codingPath
        case .keyNotFound(let key, let context):
            codingPath = context.codingPath + [key]
        @unknown default:
            codingPath = []
        }
        return render(codingPath)
    }

    static func render(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(top level)" : text
    }

    static func reason(of error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, _):
            return "expected \(describe(type))"
        case .valueNotFound(let type, _):
            return "expected \(describe(type)), found null"
        case .keyNotFound:
            return "missing field"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the answer is not valid JSON" : context.debugDescription
        @unknown default:
            return "unreadable value"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return name
        }
    }
}

extension KeyedDecodingContainer {
    /// A field the reference's samples leave out now and then: missing or null gives the default,
    /// a value of the wrong type is still an error.
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key, default defaultValue: T) throws -> T {
        try decodeIfPresent(type, forKey: key) ?? defaultValue
    }
}
