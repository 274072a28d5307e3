import Foundation

/// A field a server (or a form check) refused, and why.
public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Every way a call can fail, each carrying what a person needs to act on it.
/// Descriptions are built from sanitized text only: the API key never appears in them.
public enum VentiaError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// 401: the key is missing, malformed or unknown; `message` is the server's.
    case unauthorized(message: String)
    /// 403: the key may not do this.
    case forbidden(message: String)
    /// 404: no such contact, user, sale or webhook (or no such endpoint).
    case notFound(message: String)
    /// 400 or 422: the body was refused, with each refused field when the server names them.
    case validation(message: String, fieldErrors: [FieldError])
    /// 409: the write clashes with what the server holds (a duplicate email, say).
    case conflict(message: String)
    /// 429, or refused here while the budget is spent: `retryAfter` seconds when known.
    case rateLimited(retryAfter: Int?)
    /// A 5xx, or any status this client does not expect, with a short excerpt of the body.
    case server(status: Int, excerpt: String)
    /// The connection failed: how, as a kind (whether it may be sent again follows from the kind).
    case transport(ConnectionFailure)
    /// No answer came to a write that cannot be checked afterwards: it may have been stored, so it
    /// is not sent again by itself.
    indirect case unconfirmed(VentiaError)
    /// No answer within the configured timeout.
    case timedOut
    /// The answer grew past the configured cap (`limit` bytes) and was cut off.
    case answerTooLarge(limit: Int)
    /// The caller cancelled the request (its ``RequestHandle``).
    case cancelled
    /// The answer was not the JSON the reference describes: where (`path`) and why.
    case decoding(path: String, reason: String)
    /// The request could not be built (a bad base URL, an unencodable body).
    case invalidRequest(reason: String)
    /// A GET failed the same transient way on every try; `last` is the final failure.
    indirect case afterRetries(attempts: Int, last: VentiaError)

    /// One line fit for a status line.
    public var description: String {
        switch self {
        case .unauthorized(let message):
            return "401 Unauthorized: \(message.isEmpty ? "the API key is missing, malformed or unknown" : message)"
        case .forbidden(let message):
            return "403 Forbidden: \(message.isEmpty ? "not allowed" : message)"
        case .notFound(let message):
            return "404 Not found: \(message.isEmpty ? "no such resource" : message)"
        case .validation(let message, let fieldErrors):
            let fields = fieldErrors.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
            if fields.isEmpty { return "400 Invalid request: \(message)" }
            return "400 Invalid request: \(fields)"
        case .conflict(let message):
            return "409 Conflict: \(message)"
        case .rateLimited(let retryAfter):
            if let retryAfter { return "429 Rate limited: retry in \(retryAfter)s" }
            return "429 Rate limited: retry shortly"
        case .server(let status, let excerpt):
            return excerpt.isEmpty ? "Server error \(status) (empty answer)" : "Server error \(status): \(excerpt)"
        case .transport(let failure):
            return "Network error: \(failure)"
        case .unconfirmed(let cause):
            return "No answer came (\(cause.description)); it may have been stored, so ventia does not send it again by itself"
        case .timedOut:
            return "Network error: the server did not answer in time"
        case .answerTooLarge(let limit):
            return "The server's answer was larger than \(ByteCountText.make(limit)); ventia stopped reading it"
        case .cancelled:
            return "Cancelled"
        case .decoding(let path, let reason):
            return "Unexpected answer from the server at \(path): \(reason)"
        case .invalidRequest(let reason):
            return "Could not build the request: \(reason)"
        case .afterRetries(let attempts, let last):
            return "\(last.description) (tried \(attempts) times)"
        }
    }

    public var errorDescription: String? { description }

    /// The HTTP status behind the error, when there was one.
    public var status: Int? {
        switch self {
        case .unauthorized: return 401
        case .forbidden: return 403
        case .notFound: return 404
        case .validation: return 400
        case .conflict: return 409
        case .rateLimited: return 429
        case .server(let status, _): return status
        case .afterRetries(_, let last): return last.status
        default: return nil
        }
    }

    /// A failure that may pass by itself: a 5xx, a timeout, a lost or refused connection.
    public var isTransient: Bool {
        switch self {
        case .server(let status, _): return (500...599).contains(status)
        case .timedOut, .transport: return true
        default: return false
        }
    }

    /// The server could not be reached at all (no answer came): the app is offline.
    public var meansUnreachable: Bool {
        switch self {
        case .timedOut, .transport: return true
        case .afterRetries(_, let last), .unconfirmed(let last): return last.meansUnreachable
        default: return false
        }
    }

    /// No connection was made, so the request cannot have reached the server: a write may be sent
    /// again without checking whether it took effect.
    public var neverReachedServer: Bool {
        switch self {
        case .transport(let failure): return failure.neverSent
        case .afterRetries(_, let last): return last.neverReachedServer
        default: return false
        }
    }

    /// Field errors of a 400, for showing next to form fields.
    public var fieldErrors: [FieldError] {
        if case .validation(_, let errors) = self { return errors }
        return []
    }
}

/// Turns raw text from a server into something safe and short to show: no control characters,
/// no markup, no key, at most `limit` characters.
public enum ErrorExcerpt {
    public static func make(from data: Data, key: APIKey?, limit: Int = 120) -> String {
        let text = String(decoding: data.prefix(4096), as: UTF8.self)
        return make(from: text, key: key, limit: limit)
    }

    public static func make(from text: String, key: APIKey?, limit: Int = 120) -> String {
        var cleaned = key?.redact(text) ?? text
        if cleaned.contains("<") {
            cleaned = stripTags(cleaned)
        }
        let scalars = cleaned.unicodeScalars.map { scalar -> Character in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: return " "
            default: return Character(scalar)
            }
        }
        let collapsed = String(scalars).split(whereSeparator: { $0 == " " }).joined(separator: " ")
        if collapsed.count <= limit { return collapsed }
        return String(collapsed.prefix(limit - 1)) + "…"
    }

    private static func stripTags(_ html: String) -> String {
        var output = ""
        var insideTag = false
        var skipping: String?  // inside <script> or <style>
        var tag = ""
        for character in html {
            if insideTag {
                if character == ">" {
                    insideTag = false
                    let name = tag.lowercased().split(separator: " ").first.map(String.init) ?? ""
                    if name == "script" || name == "style" { skipping = name }
                    if let current = skipping, name == "/" + current { skipping = nil }
                    output.append(" ")
                } else {
                    tag.append(character)
                }
            } else if character == "<" {
                insideTag = true
                tag = ""
            } else if skipping == nil {
                output.append(character)
            }
        }
        return output
    }
}

/// Byte counts as people read them: `8 MB`, `64 KB`, `512 bytes` (binary units).
public enum ByteCountText {
    public static func make(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
        if bytes >= 1 << 20 { return String(format: "%.1f MB", Double(bytes) / Double(1 << 20)) }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KB" }
        return "\(bytes) bytes"
    }
}
