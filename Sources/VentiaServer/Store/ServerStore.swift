import Foundation
import Logging
import VentiaAPI

/// The server's data behind one lock, saved to `--data` after every change when asked.
final class ServerStore: @unchecked Sendable {
    private let lock = NSLock()
    private var state: StoreState
    private let dataFile: URL?
    private let logger: Logger

    init(state: StoreState, dataFile: URL?, logger: Logger) {
        self.state = state
        self.dataFile = dataFile
        self.logger = logger
    }

    func read<T>(_ body: (StoreState) throws(APIFailure) -> T) throws(APIFailure) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(state)
    }

    /// Runs a change. With a data file the change is kept only once it is on disk: a save that fails
    /// answers 500 and leaves the state as it was, so nothing is acknowledged that could be lost.
    func write<T>(_ body: (inout StoreState) throws(APIFailure) -> T) throws(APIFailure) -> T {
        lock.lock()
        defer { lock.unlock() }
        var copy = state
        let result = try body(&copy)
        if let dataFile {
            do {
                try StoreFile.write(copy, to: dataFile)
            } catch {
                logger.error("could not save the store to \(dataFile.path): \(error)")
                throw APIFailure(status: 500, message: "The change was not saved: the server could not write its data file")
            }
        }
        state = copy
        return result
    }

    /// Saves the whole state (at start and at stop); a failure names the file.
    func save() throws {
        guard let dataFile else { return }
        try lock.withLock { try StoreFile.write(state, to: dataFile) }
    }

    /// The save at stop: nothing is left to answer, so a failure can only be logged.
    func saveLoggingFailure() {
        do {
            try save()
        } catch {
            logger.error("\(error)")
        }
    }

    /// Loads a saved store; a missing file gives nil, an unreadable one an error naming the file.
    static func load(from file: URL) throws -> StoreState? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let data = try Data(contentsOf: file)
        do {
            return try VentiaJSON.decoder().decode(StoreState.self, from: data)
        } catch let error as DecodingError {
            throw StoreLoadError(path: file.path, reason: VentiaJSON.describe(error))
        }
    }
}

struct StoreLoadError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot read the data file \(path): \(reason)" }
}

/// Writes the store so that a crash or a power cut leaves either the old file or the new one: a
/// temporary file beside it, flushed, renamed over it, and the folder flushed so the rename lasts.
enum StoreFile {
    static func write(_ state: StoreState, to file: URL) throws {
        let data = try VentiaJSON.encoder().encode(state)
        let folder = file.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { throw StoreWriteError(path: file.path, reason: "the folder \(folder.path) does not exist") }
            throw StoreWriteError(path: file.path, operation: "creating a file beside it", code: code)
        }
        var written = 0
        let failure: Int32? = data.withUnsafeBytes { bytes -> Int32? in
            while written < bytes.count {
                let count = Foundation.write(descriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return fsync(descriptor) == 0 ? nil : errno
        }
        close(descriptor)
        if let failure {
            unlink(temporary.path)
            throw StoreWriteError(path: file.path, operation: "write", code: failure)
        }
        guard rename(temporary.path, file.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw StoreWriteError(path: file.path, operation: "rename", code: code)
        }
        let folderDescriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folderDescriptor >= 0 else { throw StoreWriteError(path: file.path, operation: "open its folder", code: errno) }
        defer { close(folderDescriptor) }
        guard fsync(folderDescriptor) == 0 else { throw StoreWriteError(path: file.path, operation: "flush its folder", code: errno) }
    }
}

struct StoreWriteError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(path: String, operation: String, code: Int32) {
        self.init(path: path, reason: "\(operation) failed (\(String(cString: strerror(code))))")
    }

    var description: String { "cannot save the data file \(path): \(reason)" }
}
