import Foundation

/// An answer on its way to an agent, in the API's own shapes.
struct GatewayAnswer: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data
    /// Sent upstream (so audited when a write), whatever came back.
    var forwarded = false
    /// An answer written as it goes (server-sent events) after the headers, instead of `body`.
    var stream: (@Sendable (_ send: (String) async throws -> Void) async throws -> Void)?

    /// The API's error body, `{"success": false, "message": …}`.
    static func failure(_ status: Int, _ message: String, headers: [String: String] = [:]) -> GatewayAnswer {
        let body = (try? JSONSerialization.data(withJSONObject: ["success": false, "message": message], options: [.sortedKeys])) ?? Data()
        return GatewayAnswer(status: status, headers: headers.merging(["Content-Type": "application/json; charset=utf-8"]) { $1 }, body: body)
    }

    static func text(_ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8") -> GatewayAnswer {
        GatewayAnswer(status: status, headers: ["Content-Type": contentType], body: Data(text.utf8))
    }
}
