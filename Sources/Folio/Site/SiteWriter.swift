import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Stage 4: writes pages and assets as a whole new site, then swaps it in.
///
/// Everything is written into a staging folder beside the output (`.site.staging-PID`); the swap
/// is one `renameat2(RENAME_EXCHANGE)` where the kernel has it (readers see the old site or the
/// new one, never neither), else two renames. A build killed at any moment leaves the previous site
/// as it was; its staging folder is removed by the next build. A lock file beside the output
/// serialises concurrent builds of the same site.
public struct SiteWriter {
    public var output: URL

    public init(output: URL) {
        self.output = output.standardizedFileURL
    }

    var parent: URL { output.deletingLastPathComponent() }
    var name: String { output.lastPathComponent }
    var lockURL: URL { parent.appendingPathComponent(".\(name).lock") }

    /// Holds the site lock for the duration of `body`; waits for another build to finish first.
    public func withLock<T>(_ body: () throws -> T) throws -> T {
        try FileLock.holding(lockURL, onWait: {
            FileHandle.standardError.write(Data("folio: another build is writing \(output.path); waiting for it to finish\n".utf8))
        }, body)
    }

    /// A fresh staging folder; stale ones left by killed builds are removed first.
    public func makeStaging() throws -> URL {
        removeStaleStaging()
        let staging = parent.appendingPathComponent(".\(name).staging-\(getpid())")
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return staging
    }

    func removeStaleStaging() {
        let prefix = ".\(name).staging-"
        let oldPrefix = ".\(name).old-"
        guard let items = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for item in items where item.hasPrefix(prefix) || item.hasPrefix(oldPrefix) {
            let pidText = item.hasPrefix(prefix) ? item.dropFirst(prefix.count) : item.dropFirst(oldPrefix.count)
            if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) == 0 { continue }  // a live build's
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(item))
        }
    }

    /// Writes one file into the staging folder.
    public func write(_ data: Data, to relativePath: String, in staging: URL) throws {
        let url = staging.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Makes the staging folder the site. The previous site is removed afterwards.
    public func publish(_ staging: URL) throws {
        // Make sure every byte is on disk before the new site becomes visible.
        sync()
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: output.path, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw FolioError(file: output.path, "the output path exists and is not a folder; choose another --out")
            }
            if let exchange = Self.renameat2, exchange(AT_FDCWD, staging.path, AT_FDCWD, output.path, 2 /* RENAME_EXCHANGE */) == 0 {
                try? FileManager.default.removeItem(at: staging)  // now holds the old site
                return
            }
            let old = parent.appendingPathComponent(".\(name).old-\(getpid())")
            guard rename(output.path, old.path) == 0 else {
                throw FolioError(file: output.path, "cannot move the previous site aside: \(String(cString: strerror(errno)))")
            }
            guard rename(staging.path, output.path) == 0 else {
                let message = String(cString: strerror(errno))
                _ = rename(old.path, output.path)
                throw FolioError(file: output.path, "cannot move the new site into place: \(message)")
            }
            try? FileManager.default.removeItem(at: old)
        } else {
            guard rename(staging.path, output.path) == 0 else {
                throw FolioError(file: output.path, "cannot create the site: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Removes a staging folder after a failed build.
    public func discard(_ staging: URL) {
        try? FileManager.default.removeItem(at: staging)
    }

    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc exports renameat2 since 2.28, but Swift does not see its declaration.
    static let renameat2: RenameAt2? = {
        guard let sym = dlsym(nil, "renameat2") else { return nil }
        return unsafeBitCast(sym, to: RenameAt2.self)
    }()
}
