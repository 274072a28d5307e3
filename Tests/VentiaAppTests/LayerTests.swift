import Foundation
import Testing

/// The layers as docs/architecture.md draws them, read from the sources: what each front-end
/// target may import, and how big a file or a type may grow before it is split.
@Suite struct LayerTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Modules a target must never import: each layer knows only those above it.
    static let forbidden: [String: Set<String>] = [
        "VentiaCore": ["VentiaViewModels", "VentiaApp", "VentiaCommandLine", "TerminalUI", "VentiaServer", "VentiaGateway"],
        "VentiaCommandLine": ["VentiaViewModels", "VentiaApp", "TerminalUI", "VentiaServer", "VentiaGateway"],
        "VentiaViewModels": ["VentiaApp", "VentiaCommandLine", "TerminalUI", "VentiaServer", "VentiaGateway"],
        "VentiaApp": ["VentiaCommandLine", "VentiaServer", "VentiaGateway"],
        "TerminalUI": ["VentiaAPI", "VentiaCore", "VentiaMirror", "VentiaViewModels", "VentiaApp"],
    ]

    /// Each file's lines (as `wc -l` counts them: a last line without a newline is not one).
    func swiftFiles(of target: String) throws -> [(name: String, lines: [Substring])] {
        let folder = Self.sources.appendingPathComponent(target)
        let names = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted()
        return try names.map { name in
            var lines = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last?.isEmpty == true { lines.removeLast() }
            return (name, lines)
        }
    }

    @Test(arguments: forbidden.keys.sorted())
    func importsRunOneWay(target: String) throws {
        let files = try swiftFiles(of: target)
        #expect(!files.isEmpty, "\(target) has sources")
        for file in files {
            for line in file.lines where line.hasPrefix("import ") || line.hasPrefix("@testable import ") || line.hasPrefix("@_exported import ") {
                let module = String(line.split(separator: " ").last ?? "")
                #expect(!(Self.forbidden[target] ?? []).contains(module), "\(target)/\(file.name) imports \(module)")
            }
        }
    }

    /// No file over 350 lines; no type over 400 across its file and its `Type+Part.swift` files.
    @Test(arguments: ["VentiaCore", "VentiaViewModels", "VentiaApp"])
    func filesAndTypesStaySmall(target: String) throws {
        var typeLines: [String: Int] = [:]
        for file in try swiftFiles(of: target) {
            #expect(file.lines.count <= 350, "\(target)/\(file.name) is \(file.lines.count) lines")
            let base = URL(fileURLWithPath: file.name).deletingPathExtension().lastPathComponent
            typeLines[String(base.split(separator: "+").first ?? Substring(base)), default: 0] += file.lines.count
        }
        for (type, lines) in typeLines {
            #expect(lines <= 400, "\(target): \(type) is \(lines) lines across its files")
        }
    }
}
