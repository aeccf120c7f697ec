// swift-tools-version: 6.0
import PackageDescription
import Foundation

// MARK: - swift-syntax from the toolchain
//
// Folio parses Swift (cell classification, highlighting) with the swift-syntax that ships inside
// the Swift toolchain (`usr/lib/swift/host`), not the source package: a clean release build of the
// source package takes ≈520 s on 2 cores, the toolchain copy links in seconds. The numbers and the
// trade-off are in ARCHITECTURE.md. The folder is found from the `swiftc` on PATH.
func toolchainHostLibraries() -> String {
    if let explicit = ProcessInfo.processInfo.environment["FOLIO_SWIFT_HOST_LIBS"] { return explicit }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
    for dir in path.split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("swiftc")
        guard FileManager.default.fileExists(atPath: candidate.path) else { continue }
        let real = candidate.resolvingSymlinksInPath()
        let host = real.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("lib/swift/host")
        if FileManager.default.fileExists(atPath: host.appendingPathComponent("libSwiftParser.so").path) {
            return host.path
        }
    }
    return "/opt/swift/usr/lib/swift/host"
}
let hostLibs = toolchainHostLibraries()
let swiftSyntaxFlags: [SwiftSetting] = [.unsafeFlags(["-I", hostLibs])]
let swiftSyntaxLinks: [LinkerSetting] = [
    .unsafeFlags(["-L", hostLibs, "-Xlinker", "-rpath", "-Xlinker", hostLibs]),
    .linkedLibrary("SwiftSyntax"), .linkedLibrary("SwiftParser"), .linkedLibrary("SwiftIDEUtils"),
    .linkedLibrary("SwiftOperators"), .linkedLibrary("SwiftDiagnostics"),
    .linkedLibrary("SwiftBasicFormat"),
]

// The numerics notebooks train with are optimised in debug builds too: the live notes' training
// loops run in them, and unoptimised they took most of `make test`'s notebook time.
let optimisedAlways: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Folio",
    platforms: [.macOS(.v13)],
    // MARK: - Public API
    products: [
        .executable(name: "folio", targets: ["FolioCLI"]),
        .library(name: "Folio", targets: ["Folio"]),
        // Dynamic so that executed notebooks link against the very build Folio was made with.
        .library(name: "FolioNotebookSupport", type: .dynamic, targets: ["Compute", "Plots", "FolioWire", "FolioRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // HTTP for `folio preview`: small (builds in seconds), async, no NIO.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        // Mustache templates for a project's theme overrides (no dependencies of its own).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // MARK: - System libraries (Debian packages, installed by `make deps`)
        .systemLibrary(
            name: "CCMarkGFM", pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CLAPACK", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),

        // MARK: - Libraries notebooks compute with
        // C for the loops that need AVX2/AVX-512 chosen at run time (Swift targets baseline x86-64).
        .target(name: "ComputeKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "Compute", dependencies: ["CLAPACK", "ComputeKernels", "FolioWire"], swiftSettings: optimisedAlways),
        // What a running notebook and the engine both write: the record format, XML text.
        .target(name: "FolioWire"),
        .target(name: "Plots", dependencies: ["Compute", "FolioWire"]),
        .target(name: "FolioRuntime", dependencies: ["Compute", "Plots", "FolioWire"]),

        // MARK: - The engine and its command line
        .target(
            name: "Folio",
            dependencies: ["CCMarkGFM", "COpenSSL", "FolioWire", "Plots", .product(name: "Yams", package: "Yams"), .product(name: "FlyingFox", package: "FlyingFox"),
                           .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: swiftSyntaxFlags, linkerSettings: swiftSyntaxLinks, plugins: ["BuildCommit"]),
        // `BuildCommit.id`: the commit `folio --version` and its User-Agent name.
        .plugin(name: "BuildCommit", capability: .buildTool()),
        .executableTarget(
            name: "FolioCLI",
            dependencies: ["Folio", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSyntaxFlags, linkerSettings: swiftSyntaxLinks),

        // MARK: - Fuzzing (`make fuzz`; a plain build replays inputs, FuzzCorpusTests replays the corpus)
        .target(
            name: "FolioFuzzTargets", dependencies: ["Folio"], path: "Fuzz/FolioFuzzTargets",
            swiftSettings: swiftSyntaxFlags, linkerSettings: swiftSyntaxLinks),
        .executableTarget(
            name: "folio-fuzz", dependencies: ["FolioFuzzTargets"], path: "Fuzz/folio-fuzz",
            swiftSettings: swiftSyntaxFlags, linkerSettings: swiftSyntaxLinks),

        // MARK: - Benchmarks (`make bench`)
        .executableTarget(name: "ComputeBench", dependencies: ["Compute"], path: "Benchmarks/ComputeBench"),

        // MARK: - Tests
        .testTarget(
            name: "FolioTests", dependencies: ["Folio", "FolioCLI", "FolioFuzzTargets", "FolioWire"],
            swiftSettings: swiftSyntaxFlags, linkerSettings: swiftSyntaxLinks),
        .testTarget(name: "ComputeTests", dependencies: ["Compute", "ComputeKernels"], exclude: ["Fixtures"]),
        .testTarget(name: "PlotsTests", dependencies: ["Plots"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v5]
)
