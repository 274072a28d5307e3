import Foundation

/// The keymaps and the action list in this folder, as shipped beside the binary.
public enum ShippedKeymaps {
    public static let names = ["default", "emacs"]

    /// The text of `name`.yaml (`actions`, `default`, `emacs`), or nil when it cannot be found.
    public static func text(_ name: String) -> String? {
        for folder in candidateFolders() {
            let file = folder.appendingPathComponent("\(name).yaml")
            if let data = FileManager.default.contents(atPath: file.path) { return String(data: data, encoding: .utf8) }
        }
        return nil
    }

    /// Where the files may be: the resource bundle next to the executable (SwiftPM's layout), then
    /// this source folder (a build run from its checkout).
    static func candidateFolders() -> [URL] {
        let bundleName = "ventia_ShippedKeymaps.resources"
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName))
            folders.append(executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(bundleName))
        }
        folders.append(Bundle.main.bundleURL.appendingPathComponent(bundleName))
        folders.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent())
        return folders
    }
}
