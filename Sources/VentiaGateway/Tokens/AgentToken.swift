import Crypto
import Foundation
import VentiaAPI

/// An agent's token: shaped like a Ventia key (`XXXXXXX-XXXXXXX-XXXXXXX-XXXXXXX`) so that any
/// Ventia client takes it unchanged. 28 characters of 36 give about 144 bits; the database keeps
/// only its SHA-256 (a fast hash is enough for a secret that cannot be guessed).
public enum AgentToken {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let groups = (0..<4).map { _ in String((0..<7).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }) }
        return groups.joined(separator: "-")
    }

    /// The SHA-256 of the token in hex: what the database keeps.
    public static func sha256(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
