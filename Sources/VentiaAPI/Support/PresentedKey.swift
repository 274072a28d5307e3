/// The key a request presents, by the API's rule of one key a request: the local server and the
/// team gateway refuse the same requests with the same 401 messages.
public enum PresentedKey {
    /// Why a presented key was refused; `description` is the 401 message.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case repeated, differing, missing, malformed, unknown

        public var description: String {
            switch self {
            case .repeated: "Ambiguous API key: send exactly one key"
            case .differing: "Ambiguous API key: the api-key parameter and the X-API-KEY header differ"
            case .missing: "Missing API key: pass it as the api-key query parameter"
            case .malformed: "Malformed API key: expected four groups of seven letters or digits joined by '-'"
            case .unknown: "Unknown API key"
            }
        }
    }

    /// `queryKey` and `headerKey`: the first `api-key` parameter and `X-API-KEY` header, if any;
    /// `repeated`: either was given more than once. A repeated key, or two that differ, are
    /// refused rather than guessed at.
    public static func single(queryKey: String?, headerKey: String?, repeated: Bool) -> Result<String, Refusal> {
        if repeated { return .failure(.repeated) }
        if let queryKey, let headerKey, queryKey != headerKey { return .failure(.differing) }
        guard let key = queryKey ?? headerKey, !key.isEmpty else { return .failure(.missing) }
        guard APIKey.isWellFormed(key) else { return .failure(.malformed) }
        return .success(key)
    }
}
