import Foundation
import FolioWire
#if canImport(Glibc)
import Glibc
#endif

/// The in-band channel from a running notebook to Folio.
///
/// Records (`FolioWire.Record`) travel on stdout, interleaved with whatever the cells print; the
/// nonce comes from `FOLIO_NONCE`. stdout is flushed before every record, and set to line buffering at start, so output printed
/// just before a crash is not lost.
public enum Channel {
    static let nonce: String = NotebookEnvironment.nonce.value ?? ""
    nonisolated(unsafe) static var started = false

    /// Called once by the generated program before the first cell.
    public static func start() {
        guard !started else { return }
        started = true
        setvbuf(stdout, nil, _IOLBF, 0)
        if !nonce.isEmpty {
            let parent = getppid()
            endWhenGone { getppid() == parent }
        }
    }

    /// A build or preview killed outright (SIGKILL, the OOM killer, a CI job's timeout) cannot end
    /// the program it started, which leads a process group of its own so that timeouts can kill
    /// everything in it; a cell that loops would run on forever. So the program watches for
    /// whoever started it, five times a second on a thread of its own, and ends its group once
    /// `stillThere` says no. (A snapshot forked later has only the forking thread, not this one:
    /// it watches preview's process itself.)
    static func endWhenGone(_ stillThere: @escaping () -> Bool) {
        // A bare thread, not Foundation's: a snapshot may be forked while it runs.
        final class Watch {
            let stillThere: () -> Bool
            init(_ stillThere: @escaping () -> Bool) { self.stillThere = stillThere }
        }
        var thread = pthread_t()
        let watch = Unmanaged.passRetained(Watch(stillThere)).toOpaque()
        let started = pthread_create(&thread, nil, { raw in
            let watch = Unmanaged<Watch>.fromOpaque(raw!).takeRetainedValue()
            while watch.stillThere() { usleep(200_000) }
            // The group only when it is ours: a program started some other way must not take
            // its starter's group with it.
            kill(getpgrp() == getpid() ? 0 : getpid(), SIGKILL)
            return nil
        }, watch)
        if started == 0 { pthread_detach(thread) } else { Unmanaged<Watch>.fromOpaque(watch).release() }
    }

    /// Writes one record. Outside Folio (no nonce) records are printed as plain text instead.
    public static func send(_ record: Record) {
        if nonce.isEmpty {
            switch record {
            case .value(let s), .html(let s), .svg(let s), .text(let s), .error(let s): if !s.isEmpty { print(s) }
            case .claim, .inline: print(String(decoding: record.payload, as: UTF8.self))
            case .recorded(let name, let value): print("\(name) = \(value)")
            case .exported(let name, let json): print("exported \(name) = \(json)")
            case .cell, .end: break
            }
            return
        }
        let bytes = record.encoded(nonce: nonce)
        fflush(stdout)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(1, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}

/// Generated code calls these; they are public only so the notebook program can see them.
public enum _Notebook {
    /// Marks the start of cell `index` (0-based among the notebook's cells).
    public static func cell(_ index: Int) {
        Channel.start()
        Channel.send(.cell(index: index))
    }

    /// Marks the end of the program: every cell ran.
    public static func end() {
        Channel.send(.end)
    }

    /// Shows the value of a cell's trailing expression.
    public static func show<T>(_ value: T) {
        display(value)
    }

    /// The value of an inline `` `{swift} expr` `` in prose, as the text spliced into the sentence.
    public static func inline<T>(_ index: Int, _ value: T) {
        let text: String
        if let d = value as? NotebookDisplayable, case .text(let t) = d.notebookDisplay { text = t }
        else { text = String(describing: value) }
        Channel.send(.inline(index: index, text: text))
    }

    /// A trailing expression of type `Void` (a call, an assignment) shows nothing.
    public static func show(_ value: Void) {}

    /// The initialiser of a cell-level `let x = try f()`: a global's initialiser cannot throw, so
    /// an error ends the notebook as an uncaught error, as it would in a script.
    public static func trying<T>(_ body: () throws -> T) -> T {
        do { return try body() } catch { uncaught(error) }
    }

    /// A cell-level `var x: T` or `let x: T` that a later cell assigns: its value, or the end of
    /// the program when none has been assigned yet (a script would not compile such a read).
    public static func assigned<T>(_ value: T?, _ name: StaticString, file: StaticString = #file, line: UInt = #line) -> T {
        if let value { return value }
        Channel.send(.error("`\(name)` was read before a cell gave it a value"))
        exit(1)
    }

    /// A cell-level `let x: T` given its value a second time (a script would not compile it).
    public static func assignOnce<T>(_ storage: inout T?, _ value: T, _ name: StaticString) {
        if storage != nil {
            Channel.send(.error("`\(name)` is a `let` and already has a value; declare it with `var` to assign it again"))
            exit(1)
        }
        storage = value
    }

    /// Reports an error that escaped every cell, then ends the program like an uncaught error would.
    public static func uncaught(_ error: Error, line: Int = #line) -> Never {
        Channel.send(.error("uncaught error: \(String(reflecting: error))"))
        exit(1)
    }
}
