import Foundation

/// Writes text in the user's `$VISUAL`/`$EDITOR` (like `git commit`): lines starting with `#` are
/// instructions and are dropped; an empty result means the user gave up.
public enum ExternalEditor {
    public enum Outcome: Equatable {
        case text(String)
        case empty
        case failed(String)
    }

    public static func editorCommand(_ environment: [String: String]) -> String {
        [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
    }

    /// Runs the editor on a temporary file and waits for it. The terminal must be given up first.
    public static func compose(initial: String, instructions: String, environment: [String: String]) -> Outcome {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-note-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        let template = initial + "\n" + instructions.split(separator: "\n").map { "# " + $0 }.joined(separator: "\n") + "\n"
        do {
            try template.write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        } catch {
            return .failed("cannot write a temporary file for the editor")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editorCommand(environment) + " \"$1\"", "sh", file.path]
        do {
            try process.run()
        } catch {
            return .failed("cannot start the editor \(editorCommand(environment))")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return .failed("the editor exited with status \(process.terminationStatus); nothing was sent") }
        guard let written = try? String(contentsOf: file, encoding: .utf8) else { return .failed("cannot read what the editor wrote") }
        return strip(written)
    }

    static func strip(_ written: String) -> Outcome {
        let lines = written.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }
        let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? .empty : .text(text)
    }
}
