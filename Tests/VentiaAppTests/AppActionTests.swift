import ShippedKeymaps
import Testing
import TerminalUI
@testable import VentiaApp

/// The action names of `keymaps/actions.yaml` and the app's `AppAction` are one list.
@Suite struct AppActionTests {
    func schema() throws -> KeymapSchema {
        let (schema, issues) = KeymapLoader.parseSchema(try #require(ShippedKeymaps.text("actions")), file: "keymaps/actions.yaml")
        #expect(issues.isEmpty)
        return schema
    }

    @Test func everyActionOfTheListHasACaseAndEveryCaseIsListed() throws {
        let schema = try schema()
        #expect(AppKeymap.problems(in: schema, file: "keymaps/actions.yaml").isEmpty)
        let listed = Set(schema.contexts.flatMap { $0.actions.map(\.name) })
        #expect(Set(AppAction.allCases.map(\.rawValue)) == listed)
        #expect(Set(schema.contexts.map(\.name)) == Set(KeymapContext.allCases.map(\.rawValue)))
    }

    @Test func anActionListNamingWhatTheAppLacksIsRefused() {
        let (schema, _) = KeymapLoader.parseSchema(
            "- context: global\n  title: G\n  actions:\n    quit: Quit\n    teleport: Go elsewhere\n- context: space\n  title: S\n  actions:\n    fly: Fly\n",
            file: "actions.yaml")
        let problems = AppKeymap.problems(in: schema, file: "actions.yaml").map(\.description)
        #expect(problems == ["actions.yaml: no such action in this ventia: \"teleport\"", "actions.yaml: no such context in this ventia: \"space\""])
    }

    @Test func aKeymapNamingAnUnknownActionIsRefusedWithFileAndLine() throws {
        let (_, issues) = KeymapLoader.parseKeymap("global:\n  quit: [ctrl-c]\n  teleport: [t]\n", file: "keymap.yaml", schema: try schema())
        #expect(issues.map(\.description) == ["keymap.yaml:3: unknown action in `global`: \"teleport\""])
    }

    @Test func keysComeBackAsActions() throws {
        let schema = try schema()
        let (keymap, _) = KeymapLoader.parseKeymap(try #require(ShippedKeymaps.text("default")), file: "default.yaml", schema: schema)
        let keys = AppKeymap(keymap: keymap, schema: schema)
        #expect(keys.action(for: .ctrl("r"), in: [.global]) == .refresh)
        #expect(keys.action(for: .char("n"), in: [.contact, .list, .global]) == .addNote)
        #expect(keys.action(for: .char("n"), in: [.sales, .list, .global]) == nil)
    }
}
