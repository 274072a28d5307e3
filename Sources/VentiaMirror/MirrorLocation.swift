import Crypto
import Foundation

/// Where an account's mirror lives: `$XDG_CACHE_HOME/ventia/` (else `~/.cache/ventia/`), in a file
/// named by a hash of the base URL and the key, so that the key itself never reaches the disk.
public struct MirrorLocation: Sendable, Equatable {
    public var file: URL

    public init(file: URL) { self.file = file }

    public init(baseURL: URL, apiKey: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let folder = Self.folder(environment: environment)
        file = folder.appendingPathComponent("mirror-\(Self.name(baseURL: baseURL, apiKey: apiKey)).sqlite")
    }

    /// 32 hex digits of SHA-256 over the base URL and the key.
    static func name(baseURL: URL, apiKey: String) -> String {
        let digest = SHA256.hash(data: Data((baseURL.absoluteString + "\n" + apiKey).utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    static func folder(environment: [String: String]) -> URL {
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            return URL(fileURLWithPath: cache).appendingPathComponent("ventia", isDirectory: true)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/ventia", isDirectory: true)
    }
}
