import Foundation

/// An answer decoded twice: into its model, and as the JSON it came as, so that it can be kept
/// (the app's local mirror) and read back later exactly as the server sent it, quirks included.
public struct Kept<Value: Decodable & Sendable>: Decodable, Sendable {
    public var value: Value
    public var json: JSONValue

    public init(from decoder: any Decoder) throws {
        value = try Value(from: decoder)
        json = try JSONValue(from: decoder)
    }

    /// The JSON again, as bytes to keep.
    public var data: Data { (try? JSONEncoder().encode(json)) ?? Data("null".utf8) }
}

/// A request body already in JSON (a write kept in the outbox), sent as it is.
public struct RawJSONBody: Encodable, Sendable {
    public let json: JSONValue

    public init(_ data: Data) throws {
        json = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}
