// swift-tools-version: 6.0
import PackageDescription

// Release builds on Linux carry the Swift runtime and Foundation inside each executable instead
// of loading about fifteen shared libraries at every start: a 100-pair cached run measured 48 ->
// 38 ms here (the dynamic loader's symbol lookups were a tenth of it; BENCHMARKS.md, "The start
// of a run"). `-static-stdlib` alone leaves Foundation's own C parts unlinked, hence the four
// libraries; lld links it in 2 s, and without gold's warning about static Foundation's use of
// mktemp. Debug builds (the tests) stay dynamic: they link faster. The two benchmarks stay
// dynamic too: they link RerankTestSupport, which needs swift-testing, shipped only as a shared library.
let staticRuntime: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib", "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections",
                  "-use-ld=lld"],
                 .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "RerankBench",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "RerankKit", targets: ["RerankKit"]),
        .executable(name: "rerank-eval", targets: ["rerank-eval"]),
        .executable(name: "rerankbench", targets: ["rerankbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The one spawner for child processes: a clean signal mask and default dispositions.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // The workbench's config file (~/.config/rerankbench/config.toml).
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // The core: dataset, prompt, scoring, metrics, run model and report, comparison, export,
        // cost, the run recipe and its resolution. No network, no database, no terminal.
        .target(
            name: "RerankCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/prices.json")]
        ),
        // The one spawner for child processes (pip, llama-server, $EDITOR).
        .target(
            name: "RerankProcess",
            dependencies: [.product(name: "Subprocess", package: "swift-subprocess")]
        ),
        // The providers' wire formats over HTTP and the managed local llama.cpp model.
        .target(
            name: "RerankProviders",
            dependencies: [
                "RerankCore", "RerankProcess",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The run store (SQLite): history, results, the response cache.
        .target(
            name: "RerankStore",
            dependencies: ["RerankCore", "CSQLiteSetup", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // SQLite's process-wide settings, which only C can make (sqlite3_config is variadic);
        // the same system libsqlite3 GRDB uses.
        .target(
            name: "CSQLiteSetup",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // What the front ends import: the core with the providers and the store wired in.
        .target(
            name: "RerankKit",
            dependencies: ["RerankCore", "RerankProcess", "RerankProviders", "RerankStore"]
        ),
        // The options both executables share (provider, model, endpoint, config) and the
        // command line's words for the core's remedies.
        .target(
            name: "RerankCommandLine",
            dependencies: ["RerankKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "rerank-eval",
            dependencies: [
                "RerankKit", "RerankCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: staticRuntime
        ),
        .target(
            name: "WorkbenchUI",
            dependencies: ["RerankCore"]
        ),
        // The adapter that reads the workbench's TOML config into WorkbenchUI's pure
        // WorkbenchConfig, so WorkbenchUI itself stays free of the TOML parser.
        .target(
            name: "WorkbenchConfigFile",
            dependencies: ["RerankCore", "WorkbenchUI", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .systemLibrary(
            name: "CNCursesW",
            path: "Sources/CNCursesW"
        ),
        .executableTarget(
            name: "rerankbench",
            dependencies: [
                "RerankKit", "RerankCommandLine", "WorkbenchUI", "WorkbenchConfigFile", "CNCursesW",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: staticRuntime
        ),
        .target(
            name: "RerankTestSupport",
            dependencies: [
                "RerankKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "provider-bench",
            dependencies: ["RerankKit", "RerankTestSupport"],
            path: "Benchmarks/ProviderBench"
        ),
        // The workbench's frame and key-answer times (issue 18): swift build -c release --product workbench-bench
        .executableTarget(
            name: "workbench-bench",
            dependencies: ["WorkbenchUI", "RerankKit", "RerankTestSupport"],
            path: "Benchmarks/WorkbenchBench"
        ),
        .testTarget(
            name: "RerankKitTests",
            dependencies: ["RerankKit", "RerankTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "WorkbenchUITests",
            dependencies: ["WorkbenchUI", "WorkbenchConfigFile", "RerankKit", "RerankTestSupport"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(
            name: "RerankEvalTests",
            dependencies: ["RerankKit", "RerankCommandLine", "RerankTestSupport", "rerank-eval", "rerankbench",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
