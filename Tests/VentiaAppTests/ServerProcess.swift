import Foundation
import Testing
import TmuxTesting

/// A `ventia-server` process beside the app under test (built next to `ventia`).
final class ServerProcess: @unchecked Sendable {
    private var process: Process?

    /// Starts the server with `arguments` (which name the port, 0 for any); returns its port.
    func start(_ arguments: [String]) throws -> Int {
        let process = Process()
        process.executableURL = TmuxSession.binary("ventia").deletingLastPathComponent().appendingPathComponent("ventia-server")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        let announcement = try JSONSerialization.jsonObject(with: line) as? [String: Any]
        return try #require(announcement?["port"] as? Int)
    }

    func stop() {
        process?.terminate()
        process?.waitUntilExit()
        process = nil
    }
}
