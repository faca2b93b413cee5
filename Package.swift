// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "swift-chat",
    products: [
        .executable(name: "chat-server", targets: ["ChatServer"]),
        .executable(name: "chat-client", targets: ["ChatClient"]),
        .executable(name: "chat-bench", targets: ["ChatBench"]),
        .library(name: "ChatProtocol", targets: ["ChatProtocol"]),
        .library(name: "ChatServerCore", targets: ["ChatServerCore"]),
        .library(name: "ChatText", targets: ["ChatText"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcurses",
            path: "Modules/CNcurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        .systemLibrary(name: "CMalloc", path: "Modules/CMalloc"),
        .systemLibrary(name: "CSignal", path: "Modules/CSignal"),
        .systemLibrary(name: "CSQLite", path: "Modules/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Modules/COpenSSL", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CHiredis", path: "Modules/CHiredis", providers: [.apt(["libhiredis-dev"])]),
        .target(name: "ChatText"),
        .target(
            name: "ChatSystem",
            dependencies: ["CSignal", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(name: "ChatProtocol", dependencies: ["ChatText"]),
        .target(
            name: "ChatSocket",
            dependencies: ["ChatSystem", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(
            name: "ChatWorld",
            dependencies: ["ChatProtocol", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "ChatServerCore",
            dependencies: [
                "ChatProtocol", "ChatRedis", "ChatSocket", "ChatSystem", "ChatTLS", "ChatWorld", "CMalloc", "CSQLite",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ChatClientCore",
            dependencies: [
                "ChatProtocol", "ChatSocket", "ChatSystem", "ChatText", "ChatTLS",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]),
        .target(name: "ChatProcess", dependencies: ["ChatSocket"]),
        .target(name: "ChatRedis", dependencies: ["CHiredis", "ChatSocket"]),
        .target(name: "ChatTLS", dependencies: ["COpenSSL"]),
        .target(name: "ChatUI", dependencies: ["CNcurses", "ChatSystem", "ChatText"]),
        .target(
            name: "ChatCommandLine",
            dependencies: ["ChatSystem", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "ChatServer",
            dependencies: [
                "ChatServerCore", "ChatCommandLine", "ChatSystem", "ChatWorld",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ChatClient",
            dependencies: [
                "ChatClientCore", "ChatUI", "ChatCommandLine", "ChatSocket", "ChatTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "ChatBench",
            dependencies: [
                "ChatProtocol", "ChatSocket", "ChatSystem", "ChatProcess", "ChatTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "ChatTestSupport",
            dependencies: [
                "ChatServerCore", "ChatSocket", "ChatSystem", "ChatProtocol", "ChatProcess", "ChatTLS",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ChatTestSupport"
        ),
        .testTarget(name: "ChatTextTests", dependencies: ["ChatText"]),
        .testTarget(
            name: "ChatSystemTests",
            dependencies: ["ChatSystem", "ChatTestSupport", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .testTarget(name: "ChatProtocolTests", dependencies: ["ChatProtocol"]),
        .testTarget(name: "ChatSocketTests", dependencies: ["ChatSocket", "ChatTestSupport"]),
        .testTarget(
            name: "ChatServerCoreTests", dependencies: ["ChatServerCore", "ChatTestSupport", "ChatProcess"]),
        .testTarget(name: "ChatWorldTests", dependencies: ["ChatWorld", "ChatProtocol"]),
        .testTarget(name: "ChatClientCoreTests", dependencies: ["ChatClientCore", "ChatTestSupport", "ChatWorld"]),
        .testTarget(name: "ChatUITests", dependencies: ["ChatUI"]),
        .testTarget(name: "ChatTLSTests", dependencies: ["ChatTLS", "ChatSocket", "ChatTestSupport"]),
        .testTarget(name: "ChatRedisTests", dependencies: ["ChatRedis", "ChatSocket", "ChatTestSupport"]),
    ]
)
