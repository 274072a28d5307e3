import Foundation
import VentiaAPI

/// A request as the router sees it, whatever HTTP server carried it.
public struct ServerRequest: Sendable {
    public var method: String
    /// The path without the query, percent-encoded as it came.
    public var path: String
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: Data = Data()) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    /// Splits a request target (`/a/b?x=1`) into path and decoded query.
    public init(method: String, target: String, headers: [String: String] = [:], body: Data = Data()) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = Self.decode(keyValue[0])
                let value = keyValue.count == 2 ? Self.decode(keyValue[1]) : ""
                if query[name] == nil { query[name] = value }
            }
        }
        self.init(method: method, path: String(parts.first ?? ""), query: query, headers: headers, body: body)
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
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
        let data = (try? VentiaJSON.encoder().encode(value)) ?? Data("{}".utf8)
        var allHeaders = headers
        allHeaders["Content-Type"] = "application/json; charset=utf-8"
        return ServerResponse(status: status, headers: allHeaders, body: data)
    }

    static func failure(_ failure: APIFailure) -> ServerResponse {
        json(failure.body, status: failure.status, headers: failure.headers)
    }
}
