import Foundation

/// A cheap fingerprint of a file, "size|mtime" (after symlinks), for keys that must change when
/// the file does without reading it: the KaTeX build, swiftc, the runtime library, Folio itself,
/// the files preview watches.
enum FileStamp {
    static func of(_ path: String) -> String {
        let a = try? FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
        let size = (a?[.size] as? NSNumber)?.intValue ?? 0
        let time = (a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)|\(time)"
    }
}

/// Programs Folio runs, found the way a shell finds them.
enum Executable {
    /// The first of `names` that is an executable file in a folder of `PATH`.
    static func onPath(_ names: String..., path: String? = ProcessInfo.processInfo.environment["PATH"]) -> URL? {
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":") {
            for name in names {
                let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        return nil
    }
}

/// `.folio/` in the folder a build runs in (`BuildContext`): everything a build remembers between
/// runs. One place names its parts, so `folio clean` and every stage agree on where they are.
public struct StateDirectory: Sendable {
    public var url: URL

    public init(url: URL) {
        self.url = url
    }

    /// `.folio/` in `folder`.
    public init(in folder: URL) {
        self.url = folder.appendingPathComponent(Self.name)
    }

    public static let name = ".folio"

    /// Executed outputs (`ExecutionCache`).
    public var executionCache: URL { url.appendingPathComponent("cache") }
    /// Typeset formulas (`MathRenderer`).
    public var katexMemo: URL { url.appendingPathComponent("katex.json") }
    /// Which page was rendered from which inputs (`Builder`).
    public var pageLedger: URL { url.appendingPathComponent("pages.json") }
    /// swiftc's version and the runtime library's hash, by file stamp (`ToolchainIdentity`).
    public var toolchainIdentity: URL { url.appendingPathComponent("identity.json") }
    /// Web addresses `folio check --links` found holding, and when (`ExternalLinks`).
    public var linkMemo: URL { url.appendingPathComponent("links.json") }
    /// The site `folio check --links` builds to check (the real site is left alone).
    public static let checkSite = name + "/check-site"
    /// The site `folio pdf` prints its report from.
    public static let reportSite = name + "/report-site"
    /// Each notebook's last run time, for splitting work into shards (`Shard`).
    public var runTimes: URL { url.appendingPathComponent("times.json") }
    /// What each page's PDF was printed from (`SitePrinter`).
    public var pdfLedger: URL { url.appendingPathComponent("pdfs.json") }
    /// What each combined report was printed from, and its chapters' pages (`CombinedReport`).
    public var reportLedger: URL { url.appendingPathComponent("reports.json") }
    /// swiftc's module cache when the user has no writable cache folder (`Toolchain.moduleCache(for:)`).
    public var moduleCache: URL { url.appendingPathComponent("module-cache") }
    /// Where a notebook run compiles across builds (`ProgramCompiler.Workspace`).
    public func buildFolder(for runName: String) -> URL { url.appendingPathComponent("build/\(SHA256.hex(runName).prefix(16))") }
    /// A scratch folder for one compilation, when the notebook's own folder is in use.
    public func buildFolder() -> URL { url.appendingPathComponent("build/\(UUID().uuidString)") }
    /// Preview's kernel for a notebook run: its snapshots' FIFOs and the libraries they load.
    public func kernelFolder(for runName: String) -> URL { url.appendingPathComponent("kernels/\(SHA256.hex(runName).prefix(16))") }
    /// A Word export's Markdown and figures while pandoc reads them (one folder per export).
    public func exportFolder() -> URL { url.appendingPathComponent("export/\(UUID().uuidString)") }
}
