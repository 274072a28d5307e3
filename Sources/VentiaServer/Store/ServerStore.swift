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

    /// Runs a change; the state is saved only when `body` returns normally.
    func write<T>(_ body: (inout StoreState) throws(APIFailure) -> T) throws(APIFailure) -> T {
        lock.lock()
        defer { lock.unlock() }
        var copy = state
        let result = try body(&copy)
        state = copy
        saveLocked()
        return result
    }

    func save() {
        lock.withLock { saveLocked() }
    }

    private func saveLocked() {
        guard let dataFile else { return }
        do {
            let data = try VentiaJSON.encoder().encode(state)
            try data.write(to: dataFile, options: .atomic)
        } catch {
            logger.error("could not save the store to \(dataFile.path): \(error)")
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
