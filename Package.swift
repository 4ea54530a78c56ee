// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "RerankBench",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "RerankKit", targets: ["RerankKit"]),
        .executable(name: "rerank-eval", targets: ["rerank-eval"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .target(
            name: "RerankKit",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "rerank-eval",
            dependencies: [
                "RerankKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "RerankTestSupport",
            dependencies: ["RerankKit"]
        ),
        .testTarget(
            name: "RerankKitTests",
            dependencies: ["RerankKit", "RerankTestSupport"]
        ),
        .testTarget(
            name: "RerankEvalTests",
            dependencies: ["RerankKit", "RerankTestSupport", "rerank-eval"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
