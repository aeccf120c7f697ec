import ArgumentParser
import Folio
import Foundation

/// `folio`: the command line. Thin by design: it parses arguments, calls the engine in the
/// `Folio` library, prints, and turns the result into an exit code.
@main
struct FolioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folio",
        abstract: "Turn Markdown notebooks with Swift cells into a checked, static HTML site.",
        discussion: """
        A notebook is a .md file whose ```swift cells are compiled and run together; their \
        outputs, plots and claims (check/expect) appear on the page. Start with:

          folio build                  build notebooks/ into site/
          folio check notebooks        run every notebook and report claims, no site
          folio preview                serve the site locally, rebuilding on every save
          folio new my-note            create notebooks/my-note.md from a template

        Exit status: 0 when every notebook built and every claim held, 1 otherwise.
        """,
        version: FolioVersion.string,
        subcommands: [Build.self, Check.self, Preview.self, New.self, Clean.self],
        defaultSubcommand: nil)
}

/// Options shared by `build` and `check`.
struct RunOptions: ParsableArguments {
    @Argument(help: "Notebook files or folders of them.")
    var paths: [String] = ["notebooks"]

    @Option(name: .customLong("report"), help: ArgumentHelp("Write a JSON report of the build to FILE.", valueName: "FILE"))
    var report: String?

    @Option(name: .shortAndLong, help: "How many notebooks to build at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .customLong("no-cache"), help: "Execute every notebook even when its cached outputs are still valid.")
    var noCache = false

    @Flag(name: .customLong("no-execute"), help: "Show cells without compiling or running them.")
    var noExecute = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
        guard !paths.isEmpty else { throw ValidationError("Give at least one notebook or folder.") }
    }

    func buildOptions() -> BuildOptions {
        var o = BuildOptions()
        o.inputs = paths
        o.report = report
        o.jobs = jobs
        o.noCache = noCache
        o.execute = !noExecute
        return o
    }

    /// Builds with these options as `adjust` completes them, and exits with the build's status.
    func build(_ adjust: (inout BuildOptions) -> Void) throws -> Never {
        var o = buildOptions()
        adjust(&o)
        throw ExitCode(Builder(options: o, executor: EngineFactory.executor(for: o)).run().exitCode)
    }
}

extension FolioCommand {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build notebooks into a static site.",
            discussion: """
            Parses each notebook, runs its Swift cells, and writes one page per notebook plus \
            an index into the output folder. The site is built beside the output and swapped in \
            at the end, so a failed or interrupted build leaves the previous site as it was.
            """)

        @OptionGroup var common: RunOptions

        @Option(name: .shortAndLong, help: ArgumentHelp("The site folder.", valueName: "DIR"))
        var out: String = "site"

        mutating func run() throws {
            try common.build { $0.output = out }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run notebooks and report their claims without writing a site.",
            discussion: "Every failed claim is printed as FILE:LINE: claim failed: TEXT; the exit status is 1 if any failed.")

        @OptionGroup var common: RunOptions

        @Option(help: ArgumentHelp("Write JUnit XML (one test case per claim) to FILE.", valueName: "FILE"))
        var junit: String?

        mutating func run() throws {
            try common.build { o in
                o.output = nil
                o.junit = junit
            }
        }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build, serve the site on 127.0.0.1, and rebuild and reload pages on every save.",
            discussion: "Compile errors and failed claims show in the pages; a broken notebook never stops the server.")

        @Argument(help: "Notebook files or folders of them.")
        var paths: [String] = ["notebooks"]

        @Option(help: "Port on 127.0.0.1.")
        var port: Int = 8000

        @Option(name: .shortAndLong, help: ArgumentHelp("The site folder.", valueName: "DIR"))
        var out: String = "site"

        @Option(name: .shortAndLong, help: "How many notebooks to build at once.")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        func validate() throws {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
        }

        mutating func run() async throws {
            var o = BuildOptions()
            o.inputs = paths
            o.output = out
            o.jobs = jobs
            let server = PreviewServer(options: o, port: UInt16(port), executor: EngineFactory.executor(for: o))
            do {
                try await server.run()
            } catch {
                FileHandle.standardError.write(Data("folio preview: cannot serve on 127.0.0.1:\(port): \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a notebook from a template that shows every feature.")

        @Argument(help: "Name of the notebook (notebooks/NAME.md).")
        var name: String

        @Option(help: ArgumentHelp("Folder to create it in.", valueName: "DIR"))
        var dir: String = "notebooks"

        mutating func run() throws {
            do {
                let path = try NotebookTemplate.create(name: name, in: dir)
                print("Created \(path). Build it with: folio build \(path)")
            } catch let e as FolioError {
                FileHandle.standardError.write(Data((e.description + "\n").utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Clean: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the execution cache (.folio/) and the site.")

        @Option(name: .shortAndLong, help: ArgumentHelp("The site folder.", valueName: "DIR"))
        var out: String = "site"

        mutating func run() throws {
            for path in [out, StateDirectory.name] where FileManager.default.fileExists(atPath: path) {
                try FileManager.default.removeItem(atPath: path)
                print("removed \(path)")
            }
        }
    }
}
