import Foundation

/// An HTTP proxy to reach the server through (HTTP CONNECT for `https://`).
public struct ProxyServer: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?

    /// `http://proxy.example.com:3128`, `proxy:3128` or `http://user:secret@proxy:3128`; nil when unusable.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let components = URLComponents(string: withScheme), let host = components.host, !host.isEmpty,
            ["http", "https"].contains(components.scheme?.lowercased() ?? "")
        else { return nil }
        self.host = host
        port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        username = components.user?.removingPercentEncoding
        password = components.password?.removingPercentEncoding
    }

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// The proxy settings of the environment, as curl and most command-line programs read them:
/// `https_proxy` for `https://` URLs, `http_proxy` for `http://` ones (either case), and `no_proxy`
/// (hosts or domain suffixes, comma-separated, `*` for all) for the hosts reached directly.
/// Loopback hosts are always reached directly: demo mode's in-process server lives there.
public struct ProxySettings: Sendable, Equatable {
    public var httpsProxy: ProxyServer?
    public var httpProxy: ProxyServer?
    public var exemptHosts: [String]

    public static let none = ProxySettings(httpsProxy: nil, httpProxy: nil, exemptHosts: [])

    public init(httpsProxy: ProxyServer?, httpProxy: ProxyServer?, exemptHosts: [String]) {
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.exemptHosts = exemptHosts
    }

    public init(environment: [String: String]) {
        func value(_ name: String) -> String? { environment[name.lowercased()] ?? environment[name.uppercased()] }
        httpsProxy = value("https_proxy").flatMap(ProxyServer.init)
        httpProxy = value("http_proxy").flatMap(ProxyServer.init)
        exemptHosts = (value("no_proxy") ?? "").split(separator: ",").map {
            var host = $0.trimmingCharacters(in: .whitespaces).lowercased()
            if host.hasPrefix("*.") { host.removeFirst() }
            // A port in the entry (`example.com:8443`) is not told apart: the host is exempt.
            if !host.hasPrefix("["), let colon = host.lastIndex(of: ":"), host.filter({ $0 == ":" }).count == 1 { host = String(host[..<colon]) }
            return host
        }.filter { !$0.isEmpty }
    }

    /// The proxy for `url`, nil to connect directly.
    public func proxy(for url: URL) -> ProxyServer? {
        guard let host = url.host?.lowercased(), !Self.isLoopback(host) else { return nil }
        let proxy = url.scheme?.lowercased() == "https" ? httpsProxy : httpProxy
        guard let proxy else { return nil }
        for exempt in exemptHosts {
            if exempt == "*" { return nil }
            let bare = exempt.hasPrefix(".") ? String(exempt.dropFirst()) : exempt
            if host == bare || host.hasSuffix("." + bare) { return nil }
        }
        return proxy
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" || bare.hasPrefix("127.")
    }
}
