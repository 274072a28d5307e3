import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket bound to a free port on 127.0.0.1, for the tests' own servers.
public enum LoopbackSocket {
    /// A listening socket (`backlog` > 0) or one only bound (`backlog` 0), and its port.
    public static func bound(backlog: Int32) throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ScriptedServerError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && (backlog == 0 || listen(descriptor, backlog) == 0) && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else {
            let failure = errno
            close(descriptor)
            throw ScriptedServerError.socket(failure)
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A port nothing listens on now: bound, read, and let go.
    public static func freePort() throws -> Int {
        let (descriptor, port) = try bound(backlog: 0)
        close(descriptor)
        return port
    }
}
