import Foundation
import VentiaAPI

/// One agent's request as the gateway sees it: the path under the API's base, the query without
/// the token, and what is forwarded.
struct GatewayRequest: Sendable {
    /// Where the gateway answers as Ventia does: `http://gateway/api/v1.0/contact`.
    static let basePath = "/api/v1.0"

    var method: String
    /// The path under the base, e.g. `/contact/64f…/note`.
    var path: String
    /// The query's `name=value` items as sent (still percent-encoded), without `api-key`.
    var queryItems: [String]
    /// Every value of `api-key` in the query, decoded.
    var queryKeys: [String]
    /// Every value of `X-API-KEY`.
    var headerKeys: [String]
    var lane: RequestLane
    var contentType: String?
    var accept: String?
    var body: Data?

    /// Splits a target (`/api/v1.0/contact?page=0&api-key=…`); nil when it is not under the base.
    init?(method: String, target: String, headerFields headers: [(name: String, value: String)]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = String(parts.first ?? "")
        guard rawPath == Self.basePath || rawPath.hasPrefix(Self.basePath + "/") else { return nil }
        self.method = method.uppercased()
        path = String(rawPath.dropFirst(Self.basePath.count))
        if path.isEmpty { path = "/" }
        var items: [String] = []
        var keys: [String] = []
        if parts.count > 1 {
            for item in parts[1].split(separator: "&") where !item.isEmpty {
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(pair[0]).removingPercentEncoding ?? String(pair[0])
                if name.lowercased() == "api-key" {
                    let value = pair.count > 1 ? String(pair[1]).replacingOccurrences(of: "+", with: " ") : ""
                    keys.append(value.removingPercentEncoding ?? value)
                } else {
                    items.append(String(item))
                }
            }
        }
        queryItems = items
        queryKeys = keys
        headerKeys = headers.filter { $0.name.lowercased() == "x-api-key" }.map(\.value)
        lane = RequestLane(headerValue: headers.first { $0.name.lowercased() == RequestLane.headerName.lowercased() }?.value)
        contentType = headers.first { $0.name.lowercased() == "content-type" }?.value
        accept = headers.first { $0.name.lowercased() == "accept" }?.value
    }

    /// Whether the `Accept` header names this media type.
    func accepts(_ mediaType: String) -> Bool {
        accept?.split(separator: ",").contains { $0.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == mediaType } ?? false
    }

    var isRead: Bool { method == "GET" }

    /// The same request for every agent: what the cache and coalescing key on.
    var sharedKey: String { method + " " + path + "?" + queryItems.sorted().joined(separator: "&") }

    /// The endpoint of the API's table this is, and its path parameters.
    var endpoint: (Endpoint, [String])? {
        let segments = path.split(separator: "/").map(String.init)
        for endpoint in Endpoint.allCases where endpoint.method.rawValue == method && endpoint.segments.count == segments.count {
            var parameters: [String] = []
            let matches = zip(endpoint.segments, segments).allSatisfy { template, actual in
                switch template {
                case .literal(let text): return text == actual
                case .parameter:
                    parameters.append(actual.removingPercentEncoding ?? actual)
                    return true
                }
            }
            if matches { return (endpoint, parameters) }
        }
        return nil
    }

    /// The upstream URL: the same path and query under the upstream's base, with the real key.
    func upstreamURL(base: URL, key: APIKey) -> URL? {
        var text = base.absoluteString
        if text.hasSuffix("/") { text.removeLast() }
        let encodedKey = key.secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key.secret
        let query = (queryItems + ["api-key=" + encodedKey]).joined(separator: "&")
        return URL(string: text + (path == "/" ? "" : path) + "?" + query)
    }
}
