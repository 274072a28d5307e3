import Foundation

/// A run of a built program with no terminal at all: standard input and output on /dev/null.
public struct ProgramRun: Sendable {
    public let status: Int32
    /// What it wrote to standard error.
    public let errors: String

    /// Runs `program` to its end with only `environment`.
    public init(_ program: URL, environment: [String: String]) throws {
        let process = Process()
        process.executableURL = program
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.errors = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        status = process.terminationStatus
    }
}
