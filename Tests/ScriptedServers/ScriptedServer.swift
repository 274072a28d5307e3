import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback server whose every connection runs `script` on a thread of its own: a way to give
/// the transport what no good server sends (an answer dropped, a stall, a reset). It counts the
/// connections it accepted and the requests it read.
public final class ScriptedServer: @unchecked Sendable {
    /// One connection, as the script sees it.
    public final class Connection {
        let descriptor: Int32
        private var pending: [UInt8] = []
        private let server: ScriptedServer

        init(descriptor: Int32, server: ScriptedServer) {
            self.descriptor = descriptor
            self.server = server
        }

        /// The next request's head and body (by its Content-Length), nil once the client has closed.
        public func readRequest() -> (head: String, body: [UInt8])? {
            while true {
                if let end = pending.firstRange(of: Array("\r\n\r\n".utf8)) {
                    let head = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
                    let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                        let parts = line.split(separator: ":", maxSplits: 1)
                        guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                        return Int(parts[1].trimmingCharacters(in: .whitespaces))
                    }.first ?? 0
                    if pending.count - end.upperBound >= length {
                        let body = Array(pending[end.upperBound..<(end.upperBound + length)])
                        pending.removeFirst(end.upperBound + length)
                        server.noteRequest(head)
                        return (head, body)
                    }
                }
                var buffer = [UInt8](repeating: 0, count: 65_536)
                let count = recv(descriptor, &buffer, buffer.count, 0)
                guard count > 0 else { return nil }
                pending += buffer[..<count]
            }
        }

        @discardableResult
        public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

        @discardableResult
        public func send(_ bytes: [UInt8]) -> Bool {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }

        /// A plain JSON answer that keeps the connection open for the next request.
        public func answer(_ status: Int = 200, json: String) {
            send("HTTP/1.1 \(status) OK\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n\r\n\(json)")
        }

        /// Whether the client closed its side within `seconds` (reads and drops what it sends);
        /// the server's `clientCloses` keeps the answer.
        @discardableResult
        public func waitForClose(within seconds: Double) -> Bool {
            let closed = pollForClose(within: seconds)
            server.noteClosedByClient(closed)
            return closed
        }

        /// Sends `chunk` again and again (as chunked framing) until the client goes away or
        /// `seconds` pass; the server's `clientCloses` keeps whether the client went away.
        public func streamUntilClosed(within seconds: Double) {
            let chunk = Array((String(1024, radix: 16) + "\r\n").utf8) + [UInt8](repeating: UInt8(ascii: " "), count: 1024) + Array("\r\n".utf8)
            // 64 KB a millisecond at most: enough to fill memory fast, not enough to starve the machine.
            let framed = Array([[UInt8]](repeating: chunk, count: 64).joined())
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if !send(framed) { return server.noteClosedByClient(true) }
                usleep(1_000)
            }
            server.noteClosedByClient(false)
        }

        private func pollForClose(within seconds: Double) -> Bool {
            var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                guard poll(&descriptor, 1, 50) >= 0 else { return true }
                if descriptor.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    if recv(self.descriptor, &buffer, buffer.count, 0) <= 0 { return true }
                }
            }
            return false
        }

        /// Ends the connection with a TCP reset instead of an orderly close.
        public func reset() {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
    }

    public let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var heads: [String] = []
    private var accepted = 0
    private var closes: [Bool] = []

    /// Request heads read so far, in order.
    public var requests: [String] { lock.withLock { heads } }
    public var connections: Int { lock.withLock { accepted } }
    /// For each connection whose script waited for it, whether the client closed it.
    public var clientCloses: [Bool] { lock.withLock { closes } }

    public init(_ script: @escaping @Sendable (Connection) -> Void) throws {
        let (listening, port) = try LoopbackSocket.bound(backlog: 16)
        listener = listening
        self.port = port
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listening, nil, nil)
                guard client >= 0 else { return }
                lock.withLock { accepted += 1 }
                Thread.detachNewThread {
                    let connection = Connection(descriptor: client, server: self)
                    script(connection)
                    close(client)
                }
            }
        }
    }

    fileprivate func noteRequest(_ head: String) { lock.withLock { heads.append(head) } }

    fileprivate func noteClosedByClient(_ closed: Bool) { lock.withLock { closes.append(closed) } }

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/api/v1.0")! }

    /// Stops accepting connections (those open run their scripts to the end).
    public func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

public enum ScriptedServerError: Error { case socket(Int32), openssl(Int32) }
