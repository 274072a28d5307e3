import Foundation

/// Changes one top-level setting of config.yml and leaves every other line as the user wrote it
/// (comments, order, the views): what `ventia auth login` and `logout` do to the file.
public enum ConfigFileEditor {
    /// `text` with `name` set to `value` (quoted for YAML), or its line removed when `value` is nil.
    public static func setting(_ name: String, to value: String?, in text: String) -> String {
        var lines = text.isEmpty ? [] : text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let line = value.map { "\(name): \(quoted($0))" }
        if let index = lines.firstIndex(where: { $0.hasPrefix(name + ":") }) {
            if let line { lines[index] = line } else { lines.remove(at: index) }
        } else if let line {
            lines.append(line)
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar: a key is text even when it looks like a number or holds `#`.
    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Writes `text` to `file` readable by its owner only (0600, in a 0700 folder), replacing it
    /// in one step so that a crash never leaves half a file.
    public static func write(_ text: String, to file: URL) throws {
        let folder = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        // The target of a symlink (dotfiles kept with stow) is what gets replaced.
        let target = file.resolvingSymlinksInPath()
        guard rename(temporary.path, target.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
        }
    }
}
