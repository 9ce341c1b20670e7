// swift-tools-version:5.4
// libFuzzer targets for ipvstune's parsers: build and run them with run.sh, not `swift build` alone
// (they need -sanitize=fuzzer,address). The properties they check live in
// Tests/IPVSTuneTests/FuzzRegressionTests.swift, which `swift test` replays on Corpus/.
//
// Tools version 5.4 on purpose, as swift-protobuf's FuzzTesting: from 5.5 on, SwiftPM links every
// executable with `--defsym main=<target>_main`, which hides libFuzzer's own main.
import PackageDescription

let targets = ["Conns", "Config", "Duration", "Netlink"]

let package = Package(
    name: "ipvstune-fuzz",
    dependencies: [
        // Named, so the product reference does not depend on the checkout's folder name.
        .package(name: "ipvstune", path: "../.."),
    ],
    targets: [
        .target(
            name: "FuzzProperties",
            dependencies: [.product(name: "IPVSTune", package: "ipvstune")],
            swiftSettings: [.define("FUZZING")]
        ),
    ] + targets.map { name in
        .executableTarget(name: "Fuzz\(name)", dependencies: ["FuzzProperties"])
    }
)
