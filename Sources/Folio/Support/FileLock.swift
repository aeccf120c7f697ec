import Foundation

/// An exclusive advisory lock (`flock`) on a file, held while `body` runs, so that processes
/// working in one folder take turns: the site a build writes, a project's package build.
enum FileLock {
    /// Waits for the lock (calling `onWait` first when another process holds it), then runs `body`.
    static func holding<T>(_ url: URL, onWait: () -> Void = {}, _ body: () throws -> T) throws -> T {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FolioError(file: url.path, "cannot open the lock file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            onWait()
            while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
