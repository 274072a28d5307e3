import Foundation

/// What a team gateway says it offers (`GET /_ventia/capabilities`).
public struct GatewayCapabilities: Decodable, Sendable, Equatable {
    /// The agent the token names, as the gateway's administrator wrote it (a name or an email).
    public var agent: String
    public var changes: Bool
    public var copy: Bool
    /// `/_ventia/search` over the team's copy (absent from gateways without one).
    public var search: Bool?
}

/// What a search of the team's copy found.
public struct TeamSearchAnswer: Decodable, Sendable {
    /// How many matched (counted up to about 2,000).
    public var matched: Int
    /// Contacts the copy holds.
    public var held: Int
    /// The newest matches, as the list answers them.
    public var contacts: [Contact]
}

/// One answer of the team's change feed.
public struct TeamChangeBatch: Decodable, Sendable {
    /// Where to resume from.
    public var cursor: String
    /// The cursor given is older than the gateway keeps: walk the delta instead, then go on from `cursor`.
    public var reset: Bool
    public var changes: [TeamChange]
}

/// A change the gateway saw: from its own sync (`by` is `sync`, `detail.contact` the contact as
/// the list answers it) or from an agent's write (`detail.request`, `detail.answer`).
public struct TeamChange: Decodable, Sendable, Equatable {
    public var seq: Int64
    /// `contact`, `note`, `transfer`, `archive`, `reminder`, `whatsapp`, `edit`, `create`, `lead`.
    public var kind: String
    public var contactId: String?
    public var by: String
    public var detail: JSONValue

    /// The contact a `contact` change carries.
    public var contact: Contact? {
        guard let value = detail["contact"], let data = try? JSONEncoder().encode(value) else { return nil }
        return try? VentiaJSON.decoder().decode(Contact.self, from: data)
    }

    /// The user a `transfer` was to.
    public var transferredTo: String? { detail["request"]?["to"]?.stringValue }
}

/// What a team gateway offers beyond the API, under `/_ventia/`. The gateway answers these itself,
/// never upstream, so they are sent outside the rate budget and its scheduler.
extension VentiaClient {
    /// The gateway's capabilities; a plain Ventia server answers 404 (`notFound`).
    public func gatewayCapabilities() async -> Result<GatewayCapabilities, VentiaError> {
        await extensionGet("/_ventia/capabilities", query: [], timeout: configuration.timeout)
    }

    /// Changes after `cursor` (`now`: none, just where the log stands), held open up to `wait` seconds.
    public func teamChanges(since cursor: String, wait: Int) async -> Result<TeamChangeBatch, VentiaError> {
        await extensionGet(
            "/_ventia/changes", query: [URLQueryItem(name: "since", value: cursor), URLQueryItem(name: "wait", value: String(wait))],
            timeout: TimeInterval(wait) + configuration.timeout)
    }

    /// Contacts of the team's copy whose words start with `typed`'s, newest first.
    public func teamSearch(_ typed: String, limit: Int = 100) async -> Result<TeamSearchAnswer, VentiaError> {
        await extensionGet(
            "/_ventia/search", query: [URLQueryItem(name: "q", value: typed), URLQueryItem(name: "limit", value: String(limit))],
            timeout: configuration.timeout)
    }

    private func extensionGet<T: Decodable & Sendable>(_ path: String, query: [URLQueryItem], timeout: TimeInterval) async -> Result<T, VentiaError> {
        let base = configuration.baseURL.absoluteString.hasSuffix("/") ? String(configuration.baseURL.absoluteString.dropLast()) : configuration.baseURL.absoluteString
        guard var components = URLComponents(string: base + path) else { return .failure(.invalidRequest(reason: "the base URL is not usable")) }
        components.queryItems = query + [URLQueryItem(name: "api-key", value: configuration.apiKey.secret)]
        guard let url = components.url else { return .failure(.invalidRequest(reason: "the base URL is not usable")) }
        let request = HTTPRequest(
            method: .get, url: url, headers: ["Accept": "application/json", "X-API-KEY": configuration.apiKey.secret], timeout: timeout,
            maximumAnswerBytes: configuration.maximumAnswerBytes)
        let key = configuration.apiKey
        let handle = RequestHandle()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, VentiaError>, Never>) in
                handle.attach(transport.send(request) { result in
                    switch result {
                    case .success(let answer): continuation.resume(returning: Self.interpret(answer, as: T.self, key: key))
                    case .failure(let failure): continuation.resume(returning: .failure(Self.error(for: failure, key: key)))
                    }
                })
            }
        } onCancel: {
            handle.cancel()
        }
    }
}
