// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ipvstune",
    products: [
        .executable(name: "ipvstune", targets: ["ipvstune"]),
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
        .target(
            name: "CIPVS",
            dependencies: ["CNetlink"],
            cSettings: [
                .unsafeFlags(["-Wall", "-Wextra", "-Werror", "-I/usr/include/libnl3"]),
            ]
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
        .testTarget(
            name: "IPVSTuneTests",
            dependencies: ["IPVSTune", "CIPVS", "ipvstune"]
        ),
    ]
)
