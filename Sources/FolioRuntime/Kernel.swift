import Foundation
import FolioWire
#if canImport(Glibc)
import Glibc
#endif

/// `folio preview`'s notebook kernel, inside the notebook program (the Folio side is
/// `Execute/NotebookKernel.swift`).
///
/// After a cell named in `FOLIO_KERNEL_SNAPSHOTS`, the running program forks: the parent runs
/// on, the child is a snapshot, the whole state after that cell, frozen and waiting. Told to run
/// a library (the cells after it, compiled freshly against the earlier cells' module), a snapshot
/// forks again and the new child loads and runs it, so the snapshot itself stays as it was for the
/// next edit. Outside preview (`FOLIO_KERNEL_DIR` unset) every call is a no-op.
///
/// A snapshot leaves the run's process group and closes the run's output, so the run ends (and
/// its reader sees the end) as if no snapshot existed; it ends itself when the Folio process that
/// started it (`FOLIO_KERNEL_OWNER`) is gone.
public enum _Kernel {
    static let directory = NotebookEnvironment.kernelDirectory.value
    static let snapshots = Set((NotebookEnvironment.kernelSnapshots.value ?? "").split(separator: ",").compactMap { Int($0) })
    static let owner = pid_t(NotebookEnvironment.kernelOwner.value ?? "") ?? 0

    /// Called by the generated program after cell `cell` finished.
    public static func boundary(after cell: Int) {
        guard let directory, snapshots.contains(cell) else { return }
        fflush(stdout)
        fflush(stderr)
        let pid = fork()
        guard pid == 0 else { return }
        serve(cell: cell, directory: directory)
    }

    /// The snapshot's loop: one command per line on its FIFO.
    /// `run LIBRARY OUTPUT STATUS` runs the library's `folio_kernel_entry` in a child whose output
    /// goes to the FIFO `OUTPUT`; the child's pid, then its exit, are written to `STATUS`.
    /// `exit` ends the snapshot.
    static func serve(cell: Int, directory: String) -> Never {
        setsid()
        // Pipes and sockets are how the processes above watch the run (its output, and the
        // socket a spawner holds open until its child exits): a snapshot keeps none of them.
        var st = stat()
        for fd in Int32(3)..<Int32(1024) where fstat(fd, &st) == 0 {
            let type = st.st_mode & S_IFMT
            if type == S_IFIFO || type == S_IFSOCK { close(fd) }
        }
        let null = open("/dev/null", O_RDWR)
        for fd in [0, 1, 2] { dup2(null, Int32(fd)) }
        let fifo = "\(directory)/snapshot-\(cell).fifo"
        unlink(fifo)
        guard mkfifo(fifo, 0o600) == 0 else { exit(0) }
        // Read and write, so opening does not wait for a writer and the last writer's close is no end.
        let commands = open(fifo, O_RDWR)
        guard commands >= 0 else { exit(0) }
        writeFile("\(directory)/snapshot-\(cell).pid", "\(getpid())\n")
        var line: [UInt8] = []
        while true {
            var p = pollfd(fd: commands, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, 1000)
            if ready == 0 {
                if owner > 0 && !alive(owner) { exit(0) }
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(commands, &buffer, buffer.count)
            if n <= 0 { continue }
            line += buffer[0..<n]
            while let end = line.firstIndex(of: 10) {
                let command = String(decoding: line[..<end], as: UTF8.self).split(separator: " ").map(String.init)
                line.removeSubrange(...end)
                if command.first == "exit" { exit(0) }
                if command.count == 4 && command[0] == "run" { run(library: command[1], output: command[2], status: command[3], commands: commands) }
            }
        }
    }

    static func run(library: String, output: String, status: String, commands: Int32) {
        let child = fork()
        if child == 0 {
            close(commands)
            setpgid(0, 0)
            // Its snapshot waits for it and cannot watch preview meanwhile: the run watches.
            if owner > 0 { Channel.endWhenGone { alive(owner) } }
            let out = open(output, O_WRONLY)
            if out >= 0 { dup2(out, 1); dup2(out, 2); close(out) }
            guard let handle = dlopen(library, RTLD_NOW | RTLD_GLOBAL),
                  let symbol = dlsym(handle, "folio_kernel_entry") else {
                let reason = dlerror().map { String(cString: $0) } ?? "no entry point"
                FileHandle.standardError.write(Data("folio kernel: cannot load \(library): \(reason)\n".utf8))
                exit(70)
            }
            let entry = unsafeBitCast(symbol, to: (@convention(c) () -> Void).self)
            entry()
            fflush(stdout)
            exit(0)
        }
        writeFile(status + ".pid", "\(child)\n")
        var st: Int32 = 0
        var result = "exit 70"
        if child > 0 && waitpid(child, &st, 0) == child {
            // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out: the C macros are not imported.
            let signal = st & 0x7f
            result = signal == 0 ? "exit \((st >> 8) & 0xff)" : "signal \(signal)"
        }
        writeFile(status, result + "\n")
    }

    /// Running, and not a zombie (which `kill(pid, 0)` still finds). Read with plain system
    /// calls, not Foundation: a watcher thread asks this while its program may fork a snapshot,
    /// and the snapshot must not inherit a lock that thread held.
    static func alive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let fd = open("/proc/\(pid)/stat", O_RDONLY)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = read(fd, &buffer, buffer.count)
        // "pid (name) S …": the state follows the last ")".
        guard n > 0, let paren = buffer[..<n].lastIndex(of: UInt8(ascii: ")")), paren + 2 < n else { return true }
        return buffer[paren + 2] != UInt8(ascii: "Z")
    }

    /// Written whole (a temporary file renamed), so a reader never sees half of it.
    static func writeFile(_ path: String, _ text: String) {
        let temporary = path + ".tmp"
        guard let data = text.data(using: .utf8), FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        rename(temporary, path)
    }
}
