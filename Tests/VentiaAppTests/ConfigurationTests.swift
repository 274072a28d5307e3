import Foundation
import Testing
import TerminalUI
import VentiaAPI
@testable import VentiaApp

/// config.yml: where settings come from, in which order, and what a bad file says.
@Suite struct ConfigurationTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("ventia"), withIntermediateDirectories: true)
        return url
    }

    func write(_ text: String, in folder: URL, mode: Int) throws {
        let file = folder.appendingPathComponent("ventia/config.yml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
    }

    @Test func theFileIsYAMLAndEveryProblemNamesFileAndLine() throws {
        let parsed = ConfigFile.parse("# my settings\napi_key: \"A#B\"  # trailing\ndemo_contacts: 1_000\nkeymap: emacs\n", path: "c.yml")
        #expect(try parsed.get() == ConfigFile(values: ["api_key": .text("A#B"), "demo_contacts": .number(1000), "keymap": .text("emacs")]))
        #expect(try ConfigFile.parse("# nothing yet\n", path: "c.yml").get() == ConfigFile())
        #expect(try ConfigFile.parse("currency: uyu\nlocale: es_UY.UTF-8\n", path: "c.yml").get() == ConfigFile(values: ["currency": .text("UYU"), "locale": .text("es_UY")]))
        let cases: [(String, String)] = [
            ("keymap: emacs\napi_key: [a, b]\n", "c.yml:2: api_key takes one value, not a list or a map"),
            ("\n\ncolour: blue\n", "c.yml:3: unknown setting \"colour\" (known: api_key, base_url, currency, demo_contacts, keymap, locale, max_answer_mb, me, mouse, notify, theme, views, whatsapp_channel)"),
            ("keymap: emacs\ncurrency: pesos\n", "c.yml:2: currency must be an ISO 4217 code such as UYU, USD or EUR, not \"pesos\""),
            ("locale: klingon_KX\n", "c.yml:1: locale must be a locale such as es_UY or en_US, not \"klingon_KX\""),
            ("keymap: emacs\nkeymap: default\n", "c.yml:2: keymap is set twice"),
            ("demo_contacts: many\n", "c.yml:1: demo_contacts must be a whole number, not \"many\""),
            ("keymap: emacs\n  base_url: x\n", "c.yml:2: not valid YAML: mapping values are not allowed in this context"),
            ("- api_key\n", "c.yml:1: expected `setting: value` lines"),
        ]
        for (text, expected) in cases {
            #expect(ConfigFile.parse(text, path: "c.yml").failure?.description == expected, "\(text)")
        }
    }

    @Test func savedViewsAreReadWithTheirConditionsAndTheirMistakesNamed() throws {
        let text = """
            keymap: emacs
            views:
              - name: reminders due today
                reminder: today
              - name: new and unassigned
                status: new
                agent: none
              - name: interested, no contact in 7 days
                status: [interested, contacted]
                last_interaction: older than 7 days
              - name: waiting on me
                agent: me
                unread: yes
            me: ana@example.com
            """
        let views = try ConfigFile.parse(text, path: "c.yml").get().savedViews
        #expect(views.map(\.name) == ["reminders due today", "new and unassigned", "interested, no contact in 7 days", "waiting on me"])
        #expect(views[3].agents == ["me"] && views[3].unread && !views[0].unread)
        #expect(try ConfigFile.parse(text, path: "c.yml").get().text("me") == "ana@example.com")
        #expect(views[0].reminder == .today && views[0].source == "c.yml:3")
        #expect(views[1].statuses == ["new"] && views[1].agents == ["none"])
        #expect(views[2].statuses == ["interested", "contacted"] && views[2].lastInteraction == .olderThanDays(7))
        let cases: [(String, String)] = [
            ("views: today\n", "c.yml:1: views takes a list: each item `- name: …` with status, agent, origin, reminder, last_interaction, created or unread"),
            ("views:\n  - status: new\n", "c.yml:2: a view needs a name"),
            ("views:\n  - name: a\n    colour: red\n", "c.yml:3: a view has no field \"colour\" (known: name, status, agent, origin, reminder, last_interaction, created, unread)"),
            ("views:\n  - name: a\n    reminder: someday\n",
             "c.yml:3: reminder must be one of: today, tomorrow, overdue, due today, none, any, last N days, next N days, older than N days (not \"someday\")"),
            ("views:\n  - name: a\n    unread: maybe\n", "c.yml:3: unread takes yes or no (not \"maybe\")"),
            ("keymap: emacs\nnotify: loud\n", "c.yml:2: notify must be bell, desktop, both or off, not \"loud\""),
            ("mouse: maybe\n", "c.yml:1: mouse must be true, false, yes, no, on or off, not \"maybe\""),
            ("views:\n  - name: a\n  - name: a\n", "c.yml:3: the view \"a\" is named twice"),
            ("views:\n  - name: a\n    status: {x: 1}\n", "c.yml:3: status takes a word or a list of words"),
        ]
        for (text, expected) in cases {
            #expect(ConfigFile.parse(text, path: "c.yml").failure?.description == expected, "\(text)")
        }
    }

    /// `theme:` names a shipped theme or a skin file; every mistake in a skin names its line.
    @Test func themesAndSkinsAreReadAndTheirMistakesNamed() throws {
        let skin = try SkinFile.parse("# mine\naccent: 33\nerror: \"#ff0000\"\n", path: "s.yml").get()
        #expect(skin.title.foreground == .indexed(33) && skin.error.foreground == .rgb(255, 0, 0))
        #expect(skin.warning == Theme.standard.warning, "a role the skin leaves out keeps the standard style")
        let cases: [(String, String)] = [
            ("accent: 33\ncolour: 1\n", "s.yml:2: unknown role \"colour\" (roles: selection, header, dim, error, warning, success, accent, border)"),
            ("dim: 256\n", "s.yml:1: dim takes a color: a number from 0 to 255 or #rrggbb, not \"256\""),
            ("border: \"#12345\"\n", "s.yml:1: border takes a color: a number from 0 to 255 or #rrggbb, not \"#12345\""),
            ("- accent\n", "s.yml:1: a skin is `role: color` lines (roles: selection, header, dim, error, warning, success, accent, border)"),
        ]
        for (text, expected) in cases {
            #expect(SkinFile.parse(text, path: "s.yml").failure?.description == expected, "\(text)")
        }
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let config = home.appendingPathComponent("ventia")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "warning: 208\n".write(to: config.appendingPathComponent("mine.yml"), atomically: true, encoding: .utf8)
        #expect(try AppConfiguration.theme("mine.yml", configFolder: config, environment: [:]).get().warning.foreground == .indexed(208))
        #expect(try AppConfiguration.theme("High-Contrast", configFolder: config, environment: [:]).get().dropsDim)
        #expect(AppConfiguration.theme("neon", configFolder: config, environment: [:]).failure?.message.hasPrefix("theme: \"neon\" is neither dark, light nor high-contrast") == true)
    }

    @Test func loginAndLogoutChangeOneLineAndKeepTheRest() throws {
        let original = "# mine\nkeymap: emacs\napi_key: \"OLD\"\nviews:\n  - name: a\n    status: new\n"
        let replaced = ConfigFileEditor.setting("api_key", to: "NEW#1\"x", in: original)
        #expect(replaced == "# mine\nkeymap: emacs\napi_key: \"NEW#1\\\"x\"\nviews:\n  - name: a\n    status: new\n")
        #expect(try ConfigFile.parse(replaced, path: "c.yml").get().text("api_key") == "NEW#1\"x", "quoted so YAML reads it back whole")
        #expect(ConfigFileEditor.setting("api_key", to: nil, in: replaced) == "# mine\nkeymap: emacs\nviews:\n  - name: a\n    status: new\n")
        #expect(ConfigFileEditor.setting("base_url", to: "https://x", in: "") == "base_url: \"https://x\"\n")
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent("new/ventia/config.yml")
        try ConfigFileEditor.write("api_key: \"K\"\n", to: file)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.attributesOfItem(atPath: file.deletingLastPathComponent().path)[.posixPermissions] as? Int == 0o700)
    }

    @Test func anOldTOMLFileIsNamedWithWhereTheSettingsLiveNow() throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["XDG_CONFIG_HOME": home.appendingPathComponent(".config").path, "HOME": home.path]
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".config/ventia"), withIntermediateDirectories: true)
        try "api_key = \"AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD\"\n".write(
            to: home.appendingPathComponent(".config/ventia/config.toml"), atomically: true, encoding: .utf8)
        let configuration = try AppConfiguration.resolve(flags: .init(), environment: environment).get()
        #expect(configuration.mode == .demo(contacts: 500), "the old file is not read")
        #expect(configuration.notices == ["config.toml is no longer read: settings now live in ~/.config/ventia/config.yml (YAML)"])
    }

    @Test func amountsFollowTheConfigElseTheEnvironment() throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["XDG_CONFIG_HOME": home.path, "HOME": home.path, "LANG": "es_UY.UTF-8"]
        try FileManager.default.createDirectory(at: home.appendingPathComponent("ventia"), withIntermediateDirectories: true)
        let fromLANG = try AppConfiguration.resolve(flags: .init(), environment: environment).get().money
        #expect(fromLANG.locale.identifier == "es_UY" && fromLANG.currency == nil && fromLANG.string(1_300_800.5) == "1.300.800,50")
        try write("currency: usd\nlocale: en_US\n", in: home, mode: 0o600)
        let configured = try AppConfiguration.resolve(flags: .init(), environment: environment).get().money
        #expect(configured.currency == "USD" && configured.string(1_300_800.5) == "$1,300,800.50")
    }

    @Test func keyPrecedenceAndDemoMode() throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let base = ["XDG_CONFIG_HOME": home.path, "XDG_STATE_HOME": home.path, "HOME": home.path]
        let demo = try AppConfiguration.resolve(flags: .init(), environment: base).get()
        #expect(demo.mode == .demo(contacts: 500))
        #expect(demo.logFile.path.hasSuffix("ventia/ventia.log"))
        let live = try AppConfiguration.resolve(flags: .init(), environment: base.merging(["VENTIA_API_KEY": "AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD"]) { $1 }).get()
        #expect(live.mode == .live(baseURL: VentiaConfiguration.productionBaseURL, key: APIKey("AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD")))
        let flag = try AppConfiguration.resolve(flags: .init(apiKey: "FLAGKEY-BBBBBBB-CCCCCCC-DDDDDDD", baseURL: "http://127.0.0.1:9/api/v1.0"), environment: base.merging(["VENTIA_API_KEY": "x"]) { $1 }).get()
        #expect(flag.mode == .live(baseURL: URL(string: "http://127.0.0.1:9/api/v1.0")!, key: APIKey("FLAGKEY-BBBBBBB-CCCCCCC-DDDDDDD")))
        let forced = try AppConfiguration.resolve(flags: .init(apiKey: "k", demo: true, demoContacts: 10_000), environment: base).get()
        #expect(forced.mode == .demo(contacts: 10_000))
        #expect(AppConfiguration.resolve(flags: .init(apiKey: "k", baseURL: "ftp://nope"), environment: base).failure == .badBaseURL("ftp://nope"))
        #expect(AppConfiguration.resolve(flags: .init(keymap: "vi"), environment: base).failure == .unknownKeymap("vi"))
        #expect(try AppConfiguration.resolve(flags: .init(keymap: "emacs"), environment: base).get().keymapName == "emacs")
    }

    @Test func refusesAKeyFileOthersCanRead() throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["XDG_CONFIG_HOME": home.path, "HOME": home.path]
        try write("api_key: AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD\n", in: home, mode: 0o644)
        let refused = AppConfiguration.resolve(flags: .init(), environment: environment)
        guard case .unsafeConfigFile(_, let reason)? = refused.failure else { Issue.record("expected a refusal"); return }
        #expect(reason.contains("chmod 600"))
        #expect(!reason.contains("AAAAAAA"))
        try write("api_key: AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD\nkeymap: emacs\n", in: home, mode: 0o600)
        let accepted = try AppConfiguration.resolve(flags: .init(), environment: environment).get()
        #expect(accepted.keymapName == "emacs")
        try write("keymap: emacs\ncolour: blue\n", in: home, mode: 0o644)
        guard case .badConfigFile(let unknown)? = AppConfiguration.resolve(flags: .init(), environment: environment).failure else {
            Issue.record("expected an unknown-setting error")
            return
        }
        #expect(unknown.line == 2 && unknown.message.contains("colour") && unknown.path.hasSuffix("ventia/config.yml"))
        try write("keymap: vim\n", in: home, mode: 0o644)
        #expect(try AppConfiguration.resolve(flags: .init(), environment: environment).get().keymapName == "vim", "shown on screen at start, then the default")
        #expect(try AppConfiguration.resolve(flags: .init(keymap: "default"), environment: environment).get().keymapName == "default", "the flag overrides the file")
    }

    /// Dotfiles kept with GNU stow are symlinks: the file pointed to is what must be private.
    @Test func aSymlinkedKeyFileIsJudgedByItsTarget() throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["XDG_CONFIG_HOME": home.path, "HOME": home.path]
        let dotfiles = home.appendingPathComponent("dotfiles")
        try FileManager.default.createDirectory(at: dotfiles, withIntermediateDirectories: true)
        let target = dotfiles.appendingPathComponent("config.yml")
        try "api_key: AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD\n".write(to: target, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target.path)
        try FileManager.default.createSymbolicLink(
            atPath: home.appendingPathComponent("ventia/config.yml").path, withDestinationPath: target.path)
        let accepted = try AppConfiguration.resolve(flags: .init(), environment: environment).get()
        #expect(accepted.mode == .live(baseURL: VentiaConfiguration.productionBaseURL, key: APIKey("AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD")))

        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target.path)
        guard case .unsafeConfigFile(_, let reason)? = AppConfiguration.resolve(flags: .init(), environment: environment).failure else {
            Issue.record("expected a refusal")
            return
        }
        #expect(reason == "it holds an API key and is readable by its group (mode 640); run: chmod 600 \(target.resolvingSymlinksInPath().path)")
    }

    @Test func theWhatsAppChannelComesFromTheConfigFile() throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["XDG_CONFIG_HOME": home.path, "HOME": home.path]
        #expect(try AppConfiguration.resolve(flags: .init(), environment: environment).get().whatsAppChannel == nil)
        try write("whatsapp_channel: \" 6955b9000000000000000020 \"\n", in: home, mode: 0o644)
        #expect(try AppConfiguration.resolve(flags: .init(), environment: environment).get().whatsAppChannel == "6955b9000000000000000020")
    }

    @Test func theAnswerCapComesFromTheConfigFile() throws {
        let home = try folder()
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["XDG_CONFIG_HOME": home.path, "HOME": home.path]
        #expect(try AppConfiguration.resolve(flags: .init(), environment: environment).get().maximumAnswerBytes == 8 << 20)
        try write("max_answer_mb: 2\n", in: home, mode: 0o644)
        #expect(try AppConfiguration.resolve(flags: .init(), environment: environment).get().maximumAnswerBytes == 2 << 20)
        try write("max_answer_mb: 0\n", in: home, mode: 0o644)
        guard case .badConfigFile(let problem)? = AppConfiguration.resolve(flags: .init(), environment: environment).failure else {
            Issue.record("expected a refusal")
            return
        }
        #expect(problem.message == "max_answer_mb must be a whole number of megabytes from 1 to 1024")
    }

    @Test func editorTextDropsInstructions() {
        #expect(ExternalEditor.strip("Hola\n# instructions\n\n") == .text("Hola"))
        #expect(ExternalEditor.strip("# only\n") == .empty)
    }
}

