import Foundation
import VentiaAPI

/// Reads a JSON object body field by field, gathering every problem so one 400 names them all.
struct RequestBody {
    let fields: [String: JSONValue]
    private(set) var errors: [FieldError] = []

    /// Reads the body only when it is sent as JSON, as Express's `json()` parser does: another media
    /// type counts as no body, a charset other than UTF-8 is a 415. Refuses anything but an object.
    init(_ request: ServerRequest) throws(APIFailure) {
        let mediaType = MediaType(request.headers["content-type"] ?? "")
        guard mediaType.isJSON else {
            let sent = mediaType.essence.isEmpty ? "no Content-Type" : "Content-Type \(ErrorExcerpt.make(from: mediaType.essence, key: nil, limit: 60))"
            throw .badRequest("The request has no JSON body (it was sent with \(sent)): send a JSON object as application/json")
        }
        if let charset = mediaType.charset, !["utf-8", "utf8"].contains(charset) {
            throw APIFailure(
                status: 415, message: "Unsupported charset \(ErrorExcerpt.make(from: charset, key: nil, limit: 40)): send the body as UTF-8")
        }
        let data = request.body
        guard !data.isEmpty else { throw .badRequest("The request body is empty: send a JSON object") }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw .badRequest("The request body is not valid JSON")
        }
        guard case .object(let object) = value else {
            throw .badRequest("The request body must be a JSON object, not \(value.kindName)")
        }
        fields = object
    }

    func has(_ name: String) -> Bool { fields[name] != nil }

    mutating func fail(_ name: String, _ message: String) {
        errors.append(FieldError(field: name, message: message))
    }

    /// The field's value; nil when absent. An explicit `null` is absent too only for a field that
    /// may be null (`nullableString`): for any other it is a value of the wrong type, refused, so
    /// that a PATCH never reads `"email": null` as "leave the email as it is".
    private mutating func present(_ name: String, required: Bool, expected: String) -> JSONValue? {
        guard let value = fields[name] else {
            if required { fail(name, "is required") }
            return nil
        }
        if value.isNull {
            fail(name, required ? "is required (null is not a value)" : "must be \(expected), not null (leave it out instead)")
            return nil
        }
        return value
    }

    /// A string field; `required` refuses absence and (unless `allowEmpty`) an empty value.
    mutating func string(_ name: String, required: Bool = false, allowEmpty: Bool = true) -> String? {
        guard let value = present(name, required: required, expected: "a string") else { return nil }
        guard case .string(let text) = value else {
            fail(name, "must be a string, not \(value.kindName)")
            return nil
        }
        if required, !allowEmpty, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            fail(name, "must not be empty")
            return nil
        }
        return text
    }

    /// A field that may be a string or null: `.some(nil)` when it is null, nil when absent.
    mutating func nullableString(_ name: String) -> String?? {
        guard let value = fields[name] else { return nil }
        switch value {
        case .null: return .some(nil)
        case .string(let text): return .some(text)
        default:
            fail(name, "must be a string or null, not \(value.kindName)")
            return nil
        }
    }

    mutating func strings(_ name: String, required: Bool = false) -> [String]? {
        guard let value = present(name, required: required, expected: "an array of strings") else { return nil }
        guard case .array(let items) = value else {
            fail(name, "must be an array of strings, not \(value.kindName)")
            return nil
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                fail("\(name)[\(index)]", "must be a string, not \(item.kindName)")
                return nil
            }
            result.append(text)
        }
        return result
    }

    mutating func bool(_ name: String, required: Bool = false) -> Bool? {
        guard let value = present(name, required: required, expected: "true or false") else { return nil }
        guard case .bool(let flag) = value else {
            fail(name, "must be true or false, not \(value.kindName)")
            return nil
        }
        return flag
    }

    mutating func object(_ name: String) -> [String: JSONValue]? {
        guard let value = present(name, required: false, expected: "an object") else { return nil }
        guard case .object(let object) = value else {
            fail(name, "must be an object, not \(value.kindName)")
            return nil
        }
        return object
    }

    /// Throws one 400 naming every field that failed.
    func finish() throws(APIFailure) {
        guard !errors.isEmpty else { return }
        let summary = errors.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
        throw .badRequest("Validation failed: \(summary)", fields: errors)
    }
}

/// A Content-Type value: `application/json; charset=utf-8` → essence and charset, lower-cased.
struct MediaType {
    var essence: String
    var charset: String?

    init(_ header: String) {
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        essence = parts.first ?? ""
        charset = parts.dropFirst().first { $0.hasPrefix("charset=") }.map {
            String($0.dropFirst("charset=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }

    /// Only `application/json`, the one type the reference's stack parses as JSON.
    var isJSON: Bool { essence == "application/json" }
}
