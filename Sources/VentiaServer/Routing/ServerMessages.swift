import Foundation
import VentiaAPI

/// A request as the router sees it, whatever HTTP server carried it.
public struct ServerRequest: Sendable {
    public var method: String
    /// The path without the query, percent-encoded as it came.
    public var path: String
    /// The query as it came (still percent-encoded), for logs.
    public var rawQuery: String
    /// The first value of each query parameter, decoded.
    public var query: [String: String]
    /// Query parameters given more than once.
    public var repeatedQueryNames: Set<String>
    /// Header names lower-cased; the first value of each.
    public var headers: [String: String]
    /// Header names (lower-cased) given more than once.
    public var repeatedHeaderNames: Set<String>
    public var body: Data

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: Data = Data()) {
        self.init(method: method, path: path, rawQuery: "", queryItems: query.map { ($0.key, $0.value) }, headerFields: headers.map { ($0.key, $0.value) }, body: body)
    }

    /// Splits a request target (`/a/b?x=1`) into path and decoded query.
    public init(method: String, target: String, headers: [String: String] = [:], body: Data = Data()) {
        self.init(method: method, target: target, headerFields: headers.map { ($0.key, $0.value) }, body: body)
    }

    /// The same, with every header field as it came, repeats included.
    public init(method: String, target: String, headerFields: [(name: String, value: String)], body: Data = Data()) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var items: [(String, String)] = []
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                items.append((Self.decode(keyValue[0]), keyValue.count == 2 ? Self.decode(keyValue[1]) : ""))
            }
        }
        self.init(
            method: method, path: String(parts.first ?? ""), rawQuery: parts.count == 2 ? String(parts[1]) : "", queryItems: items,
            headerFields: headerFields, body: body)
    }

    private init(method: String, path: String, rawQuery: String, queryItems: [(String, String)], headerFields: [(name: String, value: String)], body: Data) {
        self.method = method.uppercased()
        self.path = path
        self.rawQuery = rawQuery
        (query, repeatedQueryNames) = Self.firstValues(queryItems)
        (headers, repeatedHeaderNames) = Self.firstValues(headerFields.map { ($0.name.lowercased(), $0.value) })
        self.body = body
    }

    private static func firstValues(_ items: [(String, String)]) -> ([String: String], Set<String>) {
        var values: [String: String] = [:]
        var repeated: Set<String> = []
        for (name, value) in items {
            if values[name] == nil { values[name] = value } else { repeated.insert(name) }
        }
        return (values, repeated)
    }

    private static func decode(_ text: Substring) -> String {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) { return String(text) }
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The target for a log line: every `api-key` value replaced, so logs never hold a key.
    public var redactedTarget: String {
        guard !rawQuery.isEmpty else { return path }
        let items = rawQuery.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
            let name = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
            return Self.decode(name) == "api-key" ? "\(name)=[redacted]" : String(item)
        }
        return path + "?" + items.joined(separator: "&")
    }

    /// The body's length as the head declares it, when it does.
    public var declaredLength: Int? { headers["content-length"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    /// Whether a body follows the head (a length above zero, or chunked).
    public var declaresBody: Bool { declaredLength.map { $0 > 0 } ?? (headers["transfer-encoding"] != nil) }
}

public struct ServerResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(_ value: JSONValue, status: Int = 200, headers: [String: String] = [:]) -> ServerResponse {
        json(encoded: JSONWriter.bytes(value) ?? Array("{}".utf8), status: status, headers: headers)
    }

    static func json(encoded bytes: [UInt8], status: Int = 200, headers: [String: String] = [:]) -> ServerResponse {
        var allHeaders = headers
        allHeaders["Content-Type"] = "application/json; charset=utf-8"
        return ServerResponse(status: status, headers: allHeaders, body: Data(bytes))
    }

    static func failure(_ failure: APIFailure) -> ServerResponse {
        json(failure.body, status: failure.status, headers: failure.headers)
    }
}

/// A response that refuses a request before its body is read.
struct ServerResponseRefusal: Error {
    var response: ServerResponse
}
