import Foundation
import ScriptedServers
#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection to a loopback port, bytes in and out, for what a polite client never does:
/// bodies past the limit, headers never finished, many sockets held open.
final class RawHTTPConnection {
    let descriptor: Int32

    /// Connects; `readTimeout` bounds every read, so a server that never answers fails the test
    /// instead of hanging it.
    init(port: Int, readTimeout: TimeInterval = 15) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawHTTPError.socket(errno) }
        var timeout = timeval(tv_sec: Int(readTimeout), tv_usec: Int((readTimeout - readTimeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw RawHTTPError.connect(errno)
        }
    }

    deinit { close(descriptor) }

    /// Sends all of `bytes`; false once the peer has closed (EPIPE, ECONNRESET).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            sent += count
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// What the peer sends until it closes (EOF or reset), or `.timedOut` with what came first.
    func readToEnd() -> (bytes: [UInt8], ending: Ending) {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count > 0 {
                output += chunk[0..<count]
                continue
            }
            if count == 0 { return (output, .closed) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return (output, .timedOut) }
            return (output, .closed)  // a reset also ends the connection
        }
    }

    /// The status line's code, once a whole head has arrived (or nil when none did in time).
    func readStatus() -> Int? {
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !head.ends(with: Array("\r\n\r\n".utf8)) {
            guard recv(descriptor, &byte, 1, 0) == 1 else { return nil }
            head.append(byte)
        }
        return Self.status(in: head)
    }

    static func status(in bytes: [UInt8]) -> Int? {
        let line = String(decoding: bytes.prefix(32), as: UTF8.self)
        let parts = line.split(separator: " ")
        return parts.count > 1 && parts[0].hasPrefix("HTTP/") ? Int(parts[1]) : nil
    }

    enum Ending: Equatable { case closed, timedOut }
}

enum RawHTTPError: Error { case socket(Int32), connect(Int32) }

extension Array where Element: Equatable {
    func ends(with suffix: [Element]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

/// Runs blocking socket work on a thread of its own: the cooperative pool (two threads on this
/// machine) also runs the server's handlers, and a blocked `recv` there would starve them.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

extension RawHTTPConnection {
    /// Whether the peer has closed, without waiting: a pending EOF or reset, not merely no data.
    var isClosedByPeer: Bool {
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }
}

/// A loopback server that answers every connection with `head` and then body bytes without end,
/// until the client goes away: what a broken proxy or a hostile server can do.
final class EndlessAnswerServer: Sendable {
    private let server: ScriptedServer
    private let sentBytes = Locked(0)

    var port: Int { server.port }
    /// Bytes written to clients so far.
    var sent: Int { sentBytes.withLock { $0 } }

    init(head: String) throws {
        let sentBytes = sentBytes
        server = try ScriptedServer { connection in
            guard connection.readRequest() != nil else { return }
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 65_536)
            let framedChunk = Array("10000\r\n".utf8) + chunk + Array("\r\n".utf8)
            let chunked = head.lowercased().contains("transfer-encoding: chunked")
            var bytes = Array(head.utf8)
            // Bounded, so a client that never stops reading cannot keep this test running: 20 s.
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, connection.send(bytes) {
                sentBytes.withLock { $0 += bytes.count }
                bytes = chunked ? framedChunk : chunk
                // Paced at about 64 MB/s: fast enough to fill memory in a minute, slow enough not to
                // starve the rest of a parallel test run of its two cores.
                usleep(1_000)
            }
        }
    }

    deinit { server.stop() }
}
