import Foundation

/// A PostgreSQL cluster of the test run's own: `initdb` and `pg_ctl` from the system's PostgreSQL
/// (Debian's /usr/lib/postgresql/N/bin) in a temporary folder, on a free loopback port, run as
/// the `postgres` user when the tests run as root (initdb refuses root). One cluster serves the
/// whole run; each test makes a database of its own. A watchdog stops the cluster when the test
/// process ends, however it ends.
public final class ThrowawayPostgres: Sendable {
    public let port: Int
    public let folder: String
    let binaries: String
    let owner: String?

    /// The run's cluster, started on first use.
    public static func shared() throws -> ThrowawayPostgres { try started.get() }

    private static let started: Result<ThrowawayPostgres, ThrowawayPostgresError> = {
        do throws(ThrowawayPostgresError) {
            return .success(try ThrowawayPostgres.start())
        } catch {
            return .failure(error)
        }
    }()

    /// A cluster of the caller's alone (for a test that restarts it); stopped when the run ends.
    public static func startPrivate() throws -> ThrowawayPostgres { try start() }

    /// `postgres://ventia@127.0.0.1:PORT/DATABASE`.
    public func url(database: String = "postgres") -> String { "postgres://ventia@127.0.0.1:\(port)/\(database)" }

    /// A new, empty database; its URL.
    public func makeDatabase(_ prefix: String = "test") throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())".replacingOccurrences(of: "-", with: "_")
        try psql("CREATE DATABASE \(name)")
        return url(database: name)
    }

    /// Runs one SQL statement as the cluster's superuser, in `database`.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let run = try ChildProgram(["\(binaries)/psql", "-X", "-A", "-t", "-q", "-h", "127.0.0.1", "-p", String(port), "-U", "ventia", "-d", database, "-c", sql])
        guard run.status == 0 else { throw ThrowawayPostgresError(step: "psql \(sql)", output: run.errors + run.output) }
        return run.output
    }

    /// Stops the server at once (as a crash would) and starts it again on the same port and data.
    public func restart(downFor seconds: Double = 0) throws {
        try control(["stop", "-m", "immediate"])
        if seconds > 0 { usleep(UInt32(seconds * 1_000_000)) }
        try control(["start", "-w", "-l", "\(folder)/log", "-o", "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off"])
    }

    private init(port: Int, folder: String, binaries: String, owner: String?) {
        self.port = port
        self.folder = folder
        self.binaries = binaries
        self.owner = owner
    }

    private static func start() throws(ThrowawayPostgresError) -> ThrowawayPostgres {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted()
        guard let version = versions.last else {
            throw ThrowawayPostgresError(step: "find PostgreSQL", output: "no /usr/lib/postgresql/N/bin here: apt-get install postgresql (bash .ci/run does)")
        }
        let binaries = "/usr/lib/postgresql/\(version)/bin"
        let owner: String? = getuid() == 0 ? "postgres" : nil
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-pg-\(getpid())-\(UUID().uuidString.prefix(6))").path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if let owner { try FileManager.default.setAttributes([.ownerAccountName: owner], ofItemAtPath: folder) }
        } catch {
            throw ThrowawayPostgresError(step: "make \(folder)", output: "\(error)")
        }
        let cluster = ThrowawayPostgres(port: freePort(), folder: folder, binaries: binaries, owner: owner)
        do {
            try cluster.asOwner(["\(binaries)/initdb", "-A", "trust", "-U", "ventia", "-E", "UTF8", "--no-sync", "-D", "\(folder)/data"], step: "initdb")
            try cluster.control(["start", "-w", "-l", "\(folder)/log", "-o", "-p \(cluster.port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off"])
        } catch let error as ThrowawayPostgresError {
            throw error
        } catch {
            throw ThrowawayPostgresError(step: "start PostgreSQL", output: "\(error)")
        }
        cluster.startWatchdog()
        return cluster
    }

    private func control(_ arguments: [String]) throws {
        try asOwner(["\(binaries)/pg_ctl", "-D", "\(folder)/data"] + arguments, step: "pg_ctl \(arguments.first ?? "")")
    }

    private func asOwner(_ argv: [String], step: String) throws {
        let command = owner.map { ["runuser", "-u", $0, "--"] + argv } ?? argv
        let run = try ChildProgram(command)
        guard run.status == 0 else {
            let log = (try? String(contentsOfFile: "\(folder)/log", encoding: .utf8)) ?? ""
            throw ThrowawayPostgresError(step: step, output: run.errors + run.output + log)
        }
    }

    /// Stops the cluster and removes its folder once this process is gone.
    private func startWatchdog() {
        let stop = (owner.map { "runuser -u \($0) -- " } ?? "") + "\(binaries)/pg_ctl -D \(folder)/data stop -m immediate"
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop) >/dev/null 2>&1; rm -rf \(folder)"
        _ = try? ChildProgram(["/bin/sh", "-c", "(\(script)) </dev/null >/dev/null 2>&1 &"])
    }

    private static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public struct ThrowawayPostgresError: Error, CustomStringConvertible {
    public let step: String
    public let output: String
    public var description: String { "PostgreSQL for the tests: \(step) failed: \(output.suffix(2000))" }
}
