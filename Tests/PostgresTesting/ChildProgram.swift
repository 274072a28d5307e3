import CChildProcess
import Foundation

/// A run of a program to its end, from any thread of a test (no Foundation `Process`, which spins
/// in tests' threads): its exit status, standard output and standard error.
public struct ChildProgram: Sendable {
    public let status: Int32
    public let output: String
    public let errors: String

    public init(_ argv: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString).err")
        defer { try? FileManager.default.removeItem(at: errorFile) }
        // stderr goes to a file through the shell: the spawner gives the child /dev/null there.
        let wrapped = ["/bin/sh", "-c", "exec \"$0\" \"$@\" 2>\"$CHILD_ERRORS\""] + argv
        var pipe: [Int32] = [-1, -1]
        let piped = child_process_pipe(&pipe)
        guard piped == 0 else { throw ChildProgramError(program: argv.first ?? "", code: piped) }
        defer { close(pipe[0]) }
        var cArguments = wrapped.map { strdup($0) } + [nil]
        var cEnvironment = environment.merging(["CHILD_ERRORS": errorFile.path]) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid = pid_t()
        let spawned = child_process_spawn("/bin/sh", &cArguments, &cEnvironment, pipe[1], &pid)
        close(pipe[1])
        guard spawned == 0 else { throw ChildProgramError(program: argv.first ?? "", code: spawned) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(pipe[0], &chunk, chunk.count)
            if count > 0 { bytes += chunk[0..<count]; continue }
            if count < 0 && errno == EINTR { continue }
            break
        }
        let wait = child_process_wait(pid)
        status = wait < 0 ? -1 : (wait & 0x7f == 0 ? (wait >> 8) & 0xff : 128 + (wait & 0x7f))
        output = String(decoding: bytes, as: UTF8.self)
        errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    }
}

public struct ChildProgramError: Error, CustomStringConvertible {
    public let program: String
    public let code: Int32

    public init(program: String, code: Int32) {
        self.program = program
        self.code = code
    }

    public var description: String { "could not run \(program): \(String(cString: strerror(code)))" }
}
