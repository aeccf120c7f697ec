import Foundation
import FolioFuzzTargets

/// `folio-fuzz TARGET ARGS…`: one executable for every fuzz target (FuzzTargets.all).
///
/// Built by `make fuzz` with `-sanitize=fuzzer,address -DFOLIO_LIBFUZZER`, ARGS go to libFuzzer
/// (corpus folders, -max_total_time=…). A plain build replays files and folders instead, which is
/// how a saved crash is re-run under the debugger.
@main enum FolioFuzz {
    nonisolated(unsafe) static var target: (Data) -> Void = { _ in }

    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        // libFuzzer re-runs its own argv in child processes (-merge, -fork), which no longer
        // start with the target's name; the environment carries it to them.
        if let name = arguments.first, FuzzTargets.all[name] != nil {
            setenv("FOLIO_FUZZ_TARGET", name, 1)
        } else {
            arguments.insert(ProcessInfo.processInfo.environment["FOLIO_FUZZ_TARGET"] ?? "", at: 0)
        }
        guard let chosen = FuzzTargets.all[arguments[0]] else {
            let known = FuzzTargets.all.keys.sorted().joined(separator: ", ")
            FileHandle.standardError.write(Data("usage: folio-fuzz TARGET FILE|DIR… (targets: \(known))\n".utf8))
            exit(2)
        }
        target = chosen
        #if FOLIO_LIBFUZZER
        // Hand libFuzzer our own argv without the target name; it parses flags and corpus folders.
        var argv: [UnsafeMutablePointer<CChar>?] = ([CommandLine.arguments[0]] + arguments.dropFirst()).map { strdup($0) } + [nil]
        var argc = CInt(argv.count - 1)
        let status = argv.withUnsafeMutableBufferPointer { buffer -> CInt in
            var base = buffer.baseAddress
            return LLVMFuzzerRunDriver(&argc, &base) { bytes, count in
                FolioFuzz.target(count == 0 ? Data() : Data(bytes: bytes!, count: count))
                return 0
            }
        }
        exit(status)
        #else
        FuzzReplay.run(chosen, arguments: Array(arguments.dropFirst()))
        #endif
    }
}

#if FOLIO_LIBFUZZER
/// The archive libFuzzer links from also holds a `main` that wants this symbol; ours runs instead.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FolioFuzz.target(count == 0 ? Data() : Data(bytes: bytes!, count: count))
    return 0
}

/// libFuzzer's entry for programs that keep their own `main` (compiler-rt FuzzerDriver.cpp).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif
