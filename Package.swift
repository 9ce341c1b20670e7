// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ipvstune",
    products: [
        .executable(name: "ipvstune", targets: ["ipvstune"]),
        // For the fuzz package in Tests/Fuzz, which builds the parsers with libFuzzer.
        .library(name: "IPVSTune", targets: ["IPVSTune"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CNetlink",
            pkgConfig: "libnl-genl-3.0",
            providers: [.apt(["libnl-3-dev", "libnl-genl-3-dev"])]
        ),
        // Warnings are errors in the shim through pragmas in internal.h, not unsafeFlags,
        // so that a package depending on this one can build it.
        .target(
            name: "CIPVS",
            dependencies: ["CNetlink"]
        ),
        .target(
            name: "IPVSTune",
            dependencies: ["CIPVS"]
        ),
        .executableTarget(
            name: "ipvstune",
            dependencies: [
                "IPVSTune",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fakes, scratch folders and the seeded generator the tests share.
        .target(
            name: "IPVSTuneTestSupport",
            dependencies: ["IPVSTune"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "IPVSTuneTests",
            dependencies: ["IPVSTune", "IPVSTuneTestSupport", "CIPVS", "ipvstune"]
        ),
    ]
)
