// swift-tools-version:6.1
import PackageDescription

// The libFuzzer target lives in its own package so that the root package's `swift build` and `swift test` never
// need the fuzzer runtime. Build and run it with `scripts/fuzz.sh SECONDS`.

// SwiftPM names a path dependency after its directory, which is whatever the checkout was called.
let root = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "main"

let package = Package(
    name: "swift-chat-fuzz",
    dependencies: [
        .package(path: "..")
    ],
    targets: [
        .systemLibrary(name: "CLibFuzzer", path: "Modules/CLibFuzzer"),
        .executableTarget(
            name: "CodecFuzzer",
            dependencies: [
                "CLibFuzzer", .product(name: "ChatProtocol", package: root), .product(name: "ChatText", package: root),
            ]
        ),
        .executableTarget(
            name: "HubFuzzer",
            dependencies: [
                "CLibFuzzer", .product(name: "ChatProtocol", package: root),
                .product(name: "ChatServerCore", package: root),
            ]
        ),
    ]
)
