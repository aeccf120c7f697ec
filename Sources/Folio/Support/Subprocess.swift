import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process in its own process group, so a timeout can kill it and everything it
/// forked. Output is read with `poll` as it arrives (the execution engine watches cell markers in
/// it) and kept only up to a limit, so a flood cannot exhaust Folio's memory.
public enum Subprocess {
    public struct Result: Sendable {
        /// Exit status, or 128 + signal number when killed by a signal.
        public var status: Int32
        /// The signal that ended the process, if any.
        public var signal: Int32?
        public var stdout: Data
        public var stderr: Data
        public var timedOut: Bool
        /// Bytes dropped because a stream went past its limit.
        public var droppedBytes: Int
        /// The child's peak resident memory, in kilobytes (from wait4's rusage).
        public var maxResidentKilobytes: Int = 0
    }

    /// Watches a running child: sees output as it arrives and says when time is up.
    public protocol Monitor: AnyObject {
        /// Called with each chunk of standard output.
        func received(_ chunk: Data)
        /// When the child must be killed; asked after every chunk and every 50 ms.
        var deadline: Date { get }
    }

    final class FixedDeadline: Monitor {
        let deadline: Date
        init(_ seconds: Double?) { deadline = seconds.map { Date().addingTimeInterval($0) } ?? .distantFuture }
        func received(_ chunk: Data) {}
    }

    /// Runs `executable` and waits for it. stdin is `input`, or /dev/null when nil.
    public static func run(_ executable: URL, arguments: [String], input: Data? = nil,
                           environment: [String: String]? = nil, currentDirectory: URL? = nil,
                           timeout: Double? = nil, mergeStderr: Bool = false,
                           outputLimit: Int = 256 << 20, monitor: Monitor? = nil) throws -> Result {
        let monitor = monitor ?? FixedDeadline(timeout)
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0], inPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw posixError("pipe") }
        if input != nil { guard pipe(&inPipe) == 0 else { throw posixError("pipe") } }
        // Close-on-exec: no other program (this child, or one another thread spawns) may keep these
        // ends, or the reader would wait for it too; the child's own 0/1/2 are dup2'ed copies.
        for fd in outPipe + errPipe + inPipe where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input != nil {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
            posix_spawn_file_actions_addclose(&actions, inPipe[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, mergeStderr ? outPipe[1] : errPipe[1], 2)
        posix_spawn_file_actions_addclose(&actions, outPipe[0])
        posix_spawn_file_actions_addclose(&actions, errPipe[0])
        if let dir = currentDirectory {
            // glibc has it (2.29+), but its header hides it from Swift without _GNU_SOURCE.
            guard let addChdir = Self.addChdir else { throw FolioError(file: "folio", "posix_spawn_file_actions_addchdir_np is missing") }
            _ = addChdir(&actions, dir.path)
        }

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        ownGroupWithDefaultSignals(&attr)

        let argv = [executable.path] + arguments
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var cArgs = argv.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable.path, &actions, &attr, &cArgs, &cEnv)
        close(outPipe[1])
        close(errPipe[1])
        if input != nil { close(inPipe[0]) }
        guard rc == 0 else {
            close(outPipe[0]); close(errPipe[0])
            if input != nil { close(inPipe[1]) }
            throw posixError("cannot start \(executable.path)", code: rc)
        }

        // Feed stdin from a thread so a child that writes before reading cannot deadlock us.
        var writer: Thread?
        if let input {
            let fd = inPipe[1]
            writer = Thread {
                input.withUnsafeBytes { raw in
                    var offset = 0
                    while offset < raw.count {
                        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                        if n <= 0 { break }
                        offset += n
                    }
                }
                close(fd)
            }
            writer?.start()
        }

        let (stdout, stderr, dropped, timedOut) = collect(out: outPipe[0], err: errPipe[0], pid: pid, monitor: monitor, outputLimit: outputLimit)
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        // Anything the child left behind in its group goes too.
        kill(-pid, SIGKILL)
        let exited = (status & 0x7f) == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: code, signal: exited ? nil : status & 0x7f, stdout: stdout, stderr: stderr,
                      timedOut: timedOut, droppedBytes: dropped, maxResidentKilobytes: usage.ru_maxrss)
    }

    /// The child leads a process group of its own (so a timeout kills all it started), with
    /// SIGPIPE, SIGINT and SIGTERM at their defaults and nothing blocked.
    static func ownGroupWithDefaultSignals(_ attr: inout posix_spawnattr_t) {
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    }

    /// Reads the child's stdout and stderr until both close, keeping at most `outputLimit` bytes
    /// of each; past the monitor's deadline the child's group is killed. Closes both ends.
    static func collect(out: Int32, err: Int32, pid: pid_t, monitor: Monitor, outputLimit: Int) -> (Data, Data, Int, Bool) {
        var stdout = Data(), stderr = Data()
        var dropped = 0
        var timedOut = false
        var fds = [pollfd(fd: out, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: err, events: Int16(POLLIN), revents: 0)]
        var open = 2
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while open > 0 {
            if Date() >= monitor.deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                break
            }
            let ready = poll(&fds, nfds_t(fds.count), 50)
            if ready < 0 && errno != EINTR { break }
            for i in 0..<fds.count where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, &buffer, buffer.count)
                if n <= 0 {
                    close(fds[i].fd)
                    fds[i].fd = -1
                    open -= 1
                    continue
                }
                let chunk = Data(buffer[0..<n])
                if i == 0 { monitor.received(chunk) }
                let room = max(0, outputLimit - (i == 0 ? stdout.count : stderr.count))
                if room > 0 {
                    if i == 0 { stdout.append(chunk.prefix(room)) } else { stderr.append(chunk.prefix(room)) }
                }
                dropped += max(0, n - room)
            }
        }
        for f in fds where f.fd >= 0 { close(f.fd) }
        return (stdout, stderr, dropped, timedOut)
    }

    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    static let addChdir: AddChdir? = {
        guard let sym = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(sym, to: AddChdir.self)
    }()

    static func posixError(_ what: String, code: Int32 = errno) -> FolioError {
        FolioError(file: "folio", "\(what): \(String(cString: strerror(code)))")
    }
}
