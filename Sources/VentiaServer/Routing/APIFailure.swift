import Foundation
import VentiaAPI

/// A refusal the server answers with `{"success": false, "message", "errors"?}`.
struct APIFailure: Error, Sendable {
    var status: Int
    var message: String
    var fieldErrors: [FieldError] = []
    var headers: [String: String] = [:]

    static func badRequest(_ message: String, fields: [FieldError] = []) -> APIFailure {
        APIFailure(status: 400, message: message, fieldErrors: fields)
    }

    static func invalidField(_ field: String, _ why: String) -> APIFailure {
        APIFailure(status: 400, message: "\(field) \(why)", fieldErrors: [FieldError(field: field, message: why)])
    }

    static func unauthorized(_ message: String) -> APIFailure { APIFailure(status: 401, message: message) }
    static func forbidden(_ message: String) -> APIFailure { APIFailure(status: 403, message: message) }
    static func notFound(_ message: String) -> APIFailure { APIFailure(status: 404, message: message) }
    static func conflict(_ message: String) -> APIFailure { APIFailure(status: 409, message: message) }

    var body: JSONValue {
        var object: [String: JSONValue] = ["success": false, "message": .string(message)]
        if !fieldErrors.isEmpty {
            object["errors"] = .array(fieldErrors.map { ["field": .string($0.field), "message": .string($0.message)] })
        }
        return .object(object)
    }
}
