// swift-tools-version:6.1
import PackageDescription

/// The local server seeds and serves up to a million contacts; built without optimisation (as
/// `swift run` and `swift test` build) it is several times slower, so it is optimised in every build.
let optimizedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "ventia",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "VentiaAPI", targets: ["VentiaAPI"]),
        .library(name: "VentiaServer", targets: ["VentiaServer"]),
        .executable(name: "ventia-server", targets: ["ventia-server"]),
        .library(name: "TerminalUI", targets: ["TerminalUI"]),
        .executable(name: "ventia", targets: ["ventia"]),
        .library(name: "VentiaGateway", targets: ["VentiaGateway"]),
        .executable(name: "ventia-gateway", targets: ["ventia-gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.19.7"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // `swift package generate-documentation --target VentiaAPI` (DocC), checked in CI.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        // Text as filters compare it (one fold) and a fast substring index. Foundation only; under
        // both the API layer and the terminal toolkit, which know nothing of each other.
        .target(name: "TextSearch", path: "Sources/TextSearch", swiftSettings: optimizedEvenInDebug),
        // Layer 1: models, endpoint table, client, errors, rate budget; HTTP through AsyncHTTPClient.
        .target(
            name: "VentiaAPI",
            dependencies: [
                "TextSearch",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Sources/VentiaAPI", swiftSettings: optimizedEvenInDebug),
        // Layer 2: the local Ventia-compatible server and its seeded store.
        .target(
            name: "VentiaServer",
            dependencies: [
                "VentiaAPI", "TextSearch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Sources/VentiaServer",
            resources: [.copy("OpenAPI/openapi.yaml")],
            swiftSettings: optimizedEvenInDebug
        ),
        .executableTarget(
            name: "ventia-server",
            dependencies: [
                "VentiaServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/ventia-server"
        ),
        // Layer 2: the team gateway in front of the real API: tokens, the team's budget ledger, lanes,
        // coalescing, audit; every piece of shared state in PostgreSQL, so replicas act as one.
        .target(
            name: "VentiaGateway",
            dependencies: [
                "VentiaAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/VentiaGateway"
        ),
        .executableTarget(
            name: "ventia-gateway",
            dependencies: [
                // VentiaCommandLine for the tables, CSV and exit statuses every command of ours shares.
                "VentiaGateway", "VentiaAPI", "VentiaCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/ventia-gateway"
        ),
        // Layer 3: the terminal toolkit. Knows nothing of Ventia; only NcursesBackend.swift imports CNcurses.
        .target(
            name: "CNcurses",
            path: "Sources/CNcurses",
            cSettings: [.define("_XOPEN_SOURCE_EXTENDED"), .define("NCURSES_WIDECHAR", to: "1")],
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),
        .target(
            name: "TerminalUI",
            dependencies: ["CNcurses", "TextSearch", .product(name: "Yams", package: "Yams")],
            path: "Sources/TerminalUI"
        ),
        // The shipped keymaps and action list: data in keymaps/, found beside the binary at run time.
        .target(
            name: "ShippedKeymaps",
            path: "keymaps",
            resources: [.copy("actions.yaml"), .copy("default.yaml"), .copy("emacs.yaml")]
        ),
        // A small program that shows what the toolkit draws; the tmux tests drive it.
        .executableTarget(
            name: "terminal-demo",
            dependencies: ["TerminalUI", "ShippedKeymaps"],
            path: "Sources/terminal-demo"
        ),
        // Layer 4: the app. View models know VentiaAPI but no terminal; panes draw them with TerminalUI.
        // The app's local copy of an account (contacts, timelines, sync state, learned limits) in
        // SQLite, searched with FTS5. Knows VentiaAPI's models; no terminal.
        .target(
            name: "VentiaMirror",
            dependencies: [
                "VentiaAPI", "TextSearch",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/VentiaMirror"
        ),
        // Layer 3: what the app and the commands share of an account (outbox, directory, the mirror's
        // sync, budget-aware reads), with no screen text: it reports typed events each front end words.
        .target(
            name: "VentiaCore",
            dependencies: ["VentiaAPI", "VentiaMirror", "TextSearch"],
            path: "Sources/VentiaCore"
        ),
        .target(
            name: "VentiaViewModels",
            dependencies: ["VentiaAPI", "TextSearch", "VentiaMirror", "VentiaCore"],
            path: "Sources/VentiaViewModels"
        ),
        .target(
            name: "VentiaApp",
            dependencies: [
                "VentiaViewModels", "VentiaCore", "VentiaMirror", "TerminalUI", "ShippedKeymaps",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/VentiaApp"
        ),
        // `ventia contacts list`, `ventia lead import` and the rest: the same session, mirror,
        // outbox and budget as the app, with output for scripts (JSON, CSV) instead of a screen.
        .target(
            name: "VentiaCommandLine",
            dependencies: [
                "VentiaCore", "VentiaMirror", "VentiaAPI", "TextSearch",
                .product(name: "CSV", package: "CSV.swift"),
            ],
            path: "Sources/VentiaCommandLine"
        ),
        .executableTarget(
            name: "ventia",
            dependencies: [
                "VentiaApp", "VentiaServer", "VentiaMirror", "VentiaCore", "VentiaCommandLine", "VentiaViewModels", "VentiaAPI", "TextSearch", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/ventia"
        ),
        // Drives the package's programs in tmux for the end-to-end tests.
        .target(name: "CChildProcess", path: "Tests/CChildProcess"),
        .target(name: "TmuxTesting", dependencies: ["CChildProcess"], path: "Tests/TmuxTesting"),
        // Loopback servers that misbehave on the wire (answers dropped, stalled, endless, reset) and a TLS server no one trusts.
        .target(name: "ScriptedServers", dependencies: ["CChildProcess"], path: "Tests/ScriptedServers"),
        .testTarget(
            name: "VentiaAppTests",
            dependencies: [
                "VentiaApp", "VentiaViewModels", "VentiaCore", "VentiaMirror", "VentiaServer", "TerminalUI", "TmuxTesting", "ScriptedServers", "ShippedKeymaps", "TextSearch",
                "VentiaCommandLine", .product(name: "CSV", package: "CSV.swift"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            path: "Tests/VentiaAppTests",
            exclude: ["__Snapshots__", "Fixtures"]
        ),
        // A throwaway PostgreSQL cluster per test run (initdb and pg_ctl, as `postgres` when root).
        .target(name: "PostgresTesting", dependencies: ["CChildProcess"], path: "Tests/PostgresTesting"),
        .testTarget(
            name: "VentiaGatewayTests",
            dependencies: [
                "VentiaGateway", "VentiaAPI", "VentiaServer", "PostgresTesting", "ScriptedServers", "CChildProcess", "TmuxTesting",
                // The client behind a gateway: its account core and its list, as the app runs them.
                "VentiaCore", "VentiaViewModels", "VentiaMirror",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/VentiaGatewayTests"
        ),
        .testTarget(
            name: "VentiaMirrorTests",
            dependencies: ["VentiaMirror", "VentiaAPI", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Tests/VentiaMirrorTests"
        ),
        .testTarget(
            name: "TerminalUITests",
            dependencies: ["TerminalUI", "ShippedKeymaps", "TmuxTesting"],
            path: "Tests/TerminalUITests"
        ),
        .testTarget(
            name: "VentiaAPITests",
            dependencies: [
                "VentiaAPI", "VentiaServer", "ScriptedServers", .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/VentiaAPITests",
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
