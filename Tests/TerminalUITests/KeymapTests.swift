import Foundation
import ShippedKeymaps
import Testing
@testable import TerminalUI

@Suite struct KeymapTests {
    static func schema() throws -> KeymapSchema {
        let (schema, issues) = KeymapLoader.parseSchema(try #require(ShippedKeymaps.text("actions")), file: "actions.yaml")
        #expect(issues.isEmpty, "\(issues)")
        return schema
    }

    @Test(arguments: ShippedKeymaps.names)
    func shippedKeymapIsCompleteAndUnambiguous(name: String) throws {
        let schema = try Self.schema()
        let (keymap, issues) = KeymapLoader.parseKeymap(try #require(ShippedKeymaps.text(name)), file: "\(name).yaml", schema: schema)
        #expect(issues.isEmpty, "\(issues)")
        let duplicates = keymap.duplicateKeys()
        #expect(duplicates.isEmpty, "\(duplicates.map { "\($0.context): \($0.key) → \($0.actions)" })")
        let unreachable = schema.unreachableActions(in: keymap)
        #expect(unreachable.isEmpty, "\(unreachable)")
    }

    @Test func defaultKeymapHasTheAgreedKeys() throws {
        let schema = try Self.schema()
        let (keymap, _) = KeymapLoader.parseKeymap(try #require(ShippedKeymaps.text("default")), file: "default.yaml", schema: schema)
        let stack = ["contact", "list", "global"]
        let expected: [(String, String)] = [
            ("j", "move_down"), ("k", "move_up"), ("down", "move_down"), ("up", "move_up"), ("g", "top"), ("G", "bottom"),
            ("enter", "open"), ("/", "filter"), (":", "command"), ("?", "help"), ("esc", "cancel"), ("q", "back"),
            ("ctrl-c", "quit"), ("tab", "next_pane"), ("ctrl-r", "refresh"), ("n", "add_note"), ("r", "set_reminder"),
            ("t", "transfer"), ("a", "archive"), ("e", "edit"), ("c", "create"), ("L", "create_lead"),
        ]
        for (name, action) in expected {
            #expect(keymap.action(for: try #require(KeyName.parse(name)), in: stack) == action, "\(name)")
        }
        #expect(keymap.action(for: Key(.enter), in: ["form", "global"]) == "submit")
    }

    @Test func badFilesNameFileLineAndText() throws {
        let schema = try Self.schema()
        let yaml = """
            list:
              move_down: [j, hyperdrive]
              fly_away: [x]
            nowhere:
              quit: [q]
            global:
              quit: 42
            """
        let (keymap, issues) = KeymapLoader.parseKeymap(yaml, file: "keymap.yaml", schema: schema)
        #expect(issues.map(\.description) == [
            "keymap.yaml:2: unknown key name: \"hyperdrive\"",
            "keymap.yaml:3: unknown action in `list`: \"fly_away\"",
            "keymap.yaml:4: unknown context: \"nowhere\"",
            "keymap.yaml:7: unknown key name: \"42\"",
        ])
        #expect(keymap.keys(for: "move_down", in: "list") == [.char("j")])

        let (_, syntax) = KeymapLoader.parseKeymap("list:\n  move_down: [j\n  top: g\n", file: "broken.yaml", schema: schema)
        #expect(syntax.count == 1)
        #expect(syntax.first?.file == "broken.yaml")
        #expect(syntax.first?.line != nil)
        #expect(syntax.first?.message.hasPrefix("YAML error") == true)
    }

    @Test func userFileOverridesSingleBindingsAndBadOnesFallBack() throws {
        let schema = try Self.schema()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keymap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("keymap.yaml")
        try "list:\n  top: [j]\n  bottom: [nonsense]\n".write(to: file, atomically: true, encoding: .utf8)
        let (keymap, issues) = KeymapLoader.load(shipped: try #require(ShippedKeymaps.text("default")), shippedName: "default.yaml", userFile: file, schema: schema)
        #expect(keymap.action(for: .char("j"), in: ["list"]) == "top")
        #expect(keymap.keys(for: "move_down", in: "list") == [Key(.down)])
        #expect(keymap.keys(for: "bottom", in: "list") == [.char("G"), Key(.end)])
        #expect(issues.map(\.line) == [3])
        #expect(keymap.duplicateKeys().isEmpty)
        let (missing, none) = KeymapLoader.load(shipped: try #require(ShippedKeymaps.text("default")), shippedName: "default.yaml", userFile: folder.appendingPathComponent("absent.yaml"), schema: schema)
        #expect(none.isEmpty && missing.action(for: .char("j"), in: ["list"]) == "move_down")
    }
}
