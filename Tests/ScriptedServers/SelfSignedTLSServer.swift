import CChildProcess
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `openssl s_server` on a loopback port with a certificate it signed itself.
public final class SelfSignedTLSServer {
    public let port: Int
    private let pid: pid_t
    private let folder: URL

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.run([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
            "-keyout", folder.appendingPathComponent("key.pem").path, "-out", folder.appendingPathComponent("cert.pem").path,
        ])
        port = try LoopbackSocket.freePort()
        pid = try Self.spawn([
            "openssl", "s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-cert", folder.appendingPathComponent("cert.pem").path,
            "-key", folder.appendingPathComponent("key.pem").path,
        ])
        for _ in 0..<100 where !Self.listening(port) { usleep(50_000) }
    }

    public func stop() {
        // SIGKILL: the test run's threads block SIGTERM, and a child inherits that mask.
        kill(pid, SIGKILL)
        _ = child_process_wait(pid)
        try? FileManager.default.removeItem(at: folder)
    }

    private static func listening(_ port: Int) -> Bool {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Starts a program without Foundation's Process, whose wait spins when another part of the
    /// test run reaps children.
    private static func spawn(_ arguments: [String]) throws -> pid_t {
        var pid: pid_t = 0
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var envp: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        let failure = child_process_spawn(arguments[0], &argv, &envp, -1, &pid)
        guard failure == 0 else { throw ScriptedServerError.openssl(failure) }
        return pid
    }

    private static func run(_ arguments: [String]) throws {
        let status = child_process_wait(try spawn(["openssl"] + arguments))
        guard status == 0 else { throw ScriptedServerError.openssl(status) }
    }
}
