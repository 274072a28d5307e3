// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so `swift test` never builds them.
// Run: swift run -c release --package-path Benchmarks
let package = Package(
    name: "VentiaBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "ventia", path: "..")],
    targets: [
        .executableTarget(
            name: "TerminalBenchmarks",
            dependencies: [.product(name: "TerminalUI", package: "ventia")],
            path: "Sources/TerminalBenchmarks"
        )
    ],
    swiftLanguageModes: [.v6]
)
