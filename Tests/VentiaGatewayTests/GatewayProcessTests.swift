import CChildProcess
import Foundation
import PostgresTesting
import ScriptedServers
import Testing
import TmuxTesting
import VentiaAPI
@testable import VentiaGateway

/// The `ventia-gateway` executable, run as an operator runs it.
@Suite struct GatewayProcessTests {
    static var binary: String { TmuxSession.binary("ventia-gateway").path }

    static func environment(_ url: DatabaseURL?, _ extra: [String: String] = [:]) -> [String: String] {
        var environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        if let url { environment["DATABASE_URL"] = "postgres://\(url.user)@\(url.host):\(url.port)/\(url.database ?? "")" }
        return environment.merging(extra) { $1 }
    }

    static func run(_ arguments: [String], _ url: DatabaseURL?, _ extra: [String: String] = [:]) async throws -> ChildProgram {
        let environment = environment(url, extra)
        return try await offThread { try ChildProgram([binary] + arguments, environment: environment) }
    }

    @Test func tokensAreMadeOnceListedWithoutThemselvesAndRevoked() async throws {
        let url = try await GatewayHarness.database()
        let created = try await Self.run(["token", "create", "--agent", "ana.perez"], url)
        #expect(created.status == 0)
        let token = created.output.trimmingCharacters(in: .newlines)
        #expect(APIKey.isWellFormed(token))
        let again = try await Self.run(["token", "create", "--agent", "ana.perez"], url)
        #expect(again.status == 1)
        #expect(again.errors == "ventia-gateway: the agent ana.perez already has a token; revoke it first (ventia-gateway token revoke ana.perez)\n")
        let listed = try await Self.run(["token", "list"], url)
        #expect(listed.status == 0)
        let lines = listed.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("AGENT      CREATED") == true)
        #expect(lines.count == 2 && lines[1].hasPrefix("ana.perez  ") && lines[1].hasSuffix("  never"))
        #expect(!listed.output.contains(token))
        #expect(try await Self.run(["token", "revoke", "ana.perez"], url).output == "revoked the token of ana.perez\n")
        let missing = try await Self.run(["token", "revoke", "ana.perez"], url)
        #expect(missing.status == 1)
        #expect(missing.errors == "ventia-gateway: no agent ana.perez has a live token (ventia-gateway token list shows them)\n")
        #expect(try await Self.run(["audit", "--csv"], url).output == "at,agent,method,endpoint,target_id,status\r\n")
    }

    @Test func badUsageEndsWith64AndBadConfigurationWith2() async throws {
        let url = try await GatewayHarness.database()
        for arguments in [["serve"], ["audit", "--since", "yesterday"], ["audit", "--json", "--csv"], ["token", "create"], ["frobnicate"]] {
            #expect(try await Self.run(arguments, url).status == 64, "\(arguments)")
        }
        for arguments in [["--help"], ["serve", "--help"], ["token", "create", "--help"], ["audit", "--help"]] {
            let help = try await Self.run(arguments, url)
            #expect(help.status == 0 && help.output.contains("USAGE: ventia-gateway"), "\(arguments)")
        }
        let unset = try await Self.run(["token", "list"], nil)
        #expect(unset.status == 2)
        #expect(unset.errors.hasPrefix("ventia-gateway: DATABASE_URL is not set"))
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("upstream-\(UUID().uuidString).key")
        try Data(GatewayHarness.upstreamKey.secret.utf8).write(to: keyFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile.path)
        defer { try? FileManager.default.removeItem(at: keyFile) }
        let exposed = try await Self.run(["serve", "--upstream", "http://127.0.0.1:9/api/v1.0", "--upstream-key-file", keyFile.path], url)
        #expect(exposed.status == 2)
        #expect(exposed.errors == "ventia-gateway: --upstream-key-file \(keyFile.path) can be read by others (mode 644); run chmod 600 \(keyFile.path)\n")
        let keyless = try await Self.run(["serve", "--upstream", "http://127.0.0.1:9/api/v1.0"], url)
        #expect(keyless.errors == "ventia-gateway: no upstream key: set VENTIA_UPSTREAM_KEY or give --upstream-key-file\n")
    }

    @Test func aReplicaKilledMidRequestLeavesTheOtherServingAndItsReservationCounted() async throws {
        let url = try await GatewayHarness.database()
        let upstream = try ScriptedServer { connection in
            while let (head, _) = connection.readRequest() {
                if head.contains("page=99") { usleep(5_000_000) }
                connection.answer(200, json: "[]")
            }
        }
        let token = try await GatewayHarness.token("ana", in: url)
        let first = try await ServingGateway.start(url, upstream: upstream.baseURL)
        let second = try await ServingGateway.start(url, upstream: upstream.baseURL)
        let held = Task { try? await GatewayHarness.get(first.baseURL, "/contact?page=99", token: token) }
        try await waitUntil { upstream.requests.count == 1 }
        first.kill(SIGKILL)
        let served = try await GatewayHarness.get(second.baseURL, "/contact?page=1", token: token)
        #expect(served.status == 200)
        #expect(served.header("X-RateLimit-Remaining") == "188")
        _ = await held.value
        #expect(first.waitForExit() == 128 + SIGKILL)
        second.kill(SIGKILL)
        _ = second.waitForExit()
    }

    @Test func sigtermFinishesWhatIsInFlightThenExits() async throws {
        let url = try await GatewayHarness.database()
        let upstream = try ScriptedServer { connection in
            while let (head, _) = connection.readRequest() {
                if head.contains("page=99") { usleep(1_000_000) }
                connection.answer(200, json: "[]")
            }
        }
        let token = try await GatewayHarness.token("ana", in: url)
        let gateway = try await ServingGateway.start(url, upstream: upstream.baseURL)
        let held = Task { try await GatewayHarness.get(gateway.baseURL, "/contact?page=99", token: token) }
        try await waitUntil { upstream.requests.count == 1 }
        gateway.kill(SIGTERM)
        #expect(try await held.value.status == 200)
        #expect(gateway.waitForExit() == 0)
    }
}

/// `ventia-gateway serve` as a process of its own, on a free port.
final class ServingGateway: Sendable {
    let pid: pid_t
    let baseURL: URL

    private init(pid: pid_t, baseURL: URL) {
        self.pid = pid
        self.baseURL = baseURL
    }

    static func start(_ url: DatabaseURL, upstream: URL) async throws -> ServingGateway {
        let environment = GatewayProcessTests.environment(url, ["VENTIA_UPSTREAM_KEY": GatewayHarness.upstreamKey.secret])
        let arguments = [GatewayProcessTests.binary, "serve", "--upstream", upstream.absoluteString, "--port", "0", "--cache-seconds", "0", "--database-wait", "20", "--sync-seconds", "0"]
        let (pid, line) = try await offThread { () -> (pid_t, String) in
            var pipe: [Int32] = [-1, -1]
            guard child_process_pipe(&pipe) == 0 else { throw ChildProgramError(program: "ventia-gateway", code: errno) }
            defer { close(pipe[0]) }
            var cArguments = arguments.map { strdup($0) } + [nil]
            var cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer {
                cArguments.forEach { free($0) }
                cEnvironment.forEach { free($0) }
            }
            var pid = pid_t()
            let spawned = child_process_spawn(arguments[0], &cArguments, &cEnvironment, pipe[1], &pid)
            close(pipe[1])
            guard spawned == 0 else { throw ChildProgramError(program: "ventia-gateway", code: spawned) }
            var line: [UInt8] = []
            var byte: UInt8 = 0
            while read(pipe[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") { line.append(byte) }
            return (pid, String(decoding: line, as: UTF8.self))
        }
        let announced = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        guard let base = announced?["baseURL"] as? String, let baseURL = URL(string: base) else {
            throw ChildProgramError(program: "ventia-gateway serve printed \(line)", code: 0)
        }
        return ServingGateway(pid: pid, baseURL: baseURL)
    }

    func kill(_ signal: Int32) { Glibc.kill(pid, signal) }

    /// The exit status, or 128 + the signal that ended it.
    func waitForExit() -> Int32 {
        let status = child_process_wait(pid)
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

func waitUntil(_ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw ChildProgramError(program: "the awaited condition", code: ETIMEDOUT) }
        try await Task.sleep(for: .milliseconds(20))
    }
}
