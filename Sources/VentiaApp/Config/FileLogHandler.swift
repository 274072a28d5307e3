import Foundation
import Logging
import VentiaAPI

/// Appends log lines to a file: the screen belongs to curses, so nothing is printed. Every line
/// passes the key redactor.
public struct FileLogHandler: LogHandler {
    final class Sink: @unchecked Sendable {
        let handle: FileHandle
        let lock = NSLock()
        init(handle: FileHandle) { self.handle = handle }
        func write(_ line: String) { lock.withLock { handle.write(Data(line.utf8)) } }
    }

    let label: String
    let sink: Sink
    let key: APIKey?
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info

    /// Opens (creating folders and the file) for appending; nil when that is impossible.
    public static func open(_ file: URL, label: String, key: APIKey?) -> FileLogHandler? {
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: file.path) {
                // A failure here shows up as the open below failing.
                _ = FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            let handle = try FileHandle(forWritingTo: file)
            handle.seekToEndOfFile()
            return FileLogHandler(label: label, sink: Sink(handle: handle), key: key)
        } catch {
            return nil
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let text = "\(VentiaDate.format(Date())) \(event.level) \(label): \(event.message)\n"
        sink.write(key?.redact(text) ?? text)
    }
}
