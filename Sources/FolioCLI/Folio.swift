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

          folio init my-project        create a project: folio.yml, a notebook, shared code
          folio build                  build the project's notebooks (or notebooks/) into site/
          folio check notebooks        run every notebook and report claims, no site
          folio preview                serve the site locally, rebuilding on every save
          folio new my-note            create notebooks/my-note.md from a template

        A project is the folder holding folio.yml, found by walking up from the paths given \
        (or the current folder); Folio builds from that folder.

        \(exitStatusHelp)
        """,
        version: FolioVersion.long,
        subcommands: [Init.self, Build.self, Check.self, Freeze.self, Pdf.self, Export.self, Preview.self, Lsp.self, New.self, Clean.self, Reference.self],
        defaultSubcommand: nil)

    static func main() async {
        await main(LinkCheckMode.expandingBareFlag(Array(CommandLine.arguments.dropFirst())))
    }
}

extension LinkCheckMode: ExpressibleByArgument {
    /// `--links` alone means `--links=all` (ArgumentParser has no option whose value may be left
    /// out, and `folio check --links` is how people will type it).
    static func expandingBareFlag(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for (i, a) in arguments.enumerated() {
            if a == "--" { return out + arguments[i...] }
            let next = i + 1 < arguments.count ? arguments[i + 1] : nil
            out.append(a == "--links" && !LinkCheckMode.allCases.map(\.rawValue).contains(next ?? "") ? "--links=all" : a)
        }
        return out
    }
}

extension Paper: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}

/// The exit statuses, as `--help` prints them (the values are `ExitStatus`'s).
let exitStatusHelp = """
Exit status: \(ExitStatus.ok.rawValue) every notebook built and every claim held; \
\(ExitStatus.notebookFailed.rawValue) a notebook failed (an error or a failed claim); \
\(ExitStatus.couldNotBuild.rawValue) the build could not run (bad folio.yml, bad input, no notebooks at \
the paths given, packages that would not resolve or build); \(ExitStatus.usage.rawValue) wrong usage.
"""

/// `--cache URL`, read once. An address Folio refuses is reported by `validate()` without
/// repeating it, since it may carry a password.
struct CacheAddress: ExpressibleByArgument {
    let parsed: Result<URL, FolioError>
    init?(argument: String) { parsed = RemoteCache.parse(argument) }
}

extension Shard: ExpressibleByArgument {
    public init?(argument: String) {
        guard let shard = Shard.parse(argument) else { return nil }
        self = shard
    }
}

extension ParameterOverride: ExpressibleByArgument {
    public init?(argument: String) {
        guard let p = ParameterOverride.parse(argument) else { return nil }
        self = p
    }
}

/// The options every command that builds shares: build, check, freeze, pdf and preview.
struct RunOptions: ParsableArguments {
    @Argument(help: "Notebook files or folders of them (default: the project's notebooks, else notebooks/).")
    var paths: [String] = []

    @Option(help: ArgumentHelp("Apply the profile NAME of folio.yml over its other values.", valueName: "NAME"))
    var profile: String?

    @Option(name: .customShort("P"), help: ArgumentHelp("Set a notebook parameter (repeatable): -P d=128 -P seeds=1,2,3.", valueName: "NAME=VALUE"))
    var parameters: [ParameterOverride] = []

    @Option(name: .customLong("max-sets"), help: "The most parameter sets one sweep may run (default 1000).")
    var maxSets = 1000

    @Option(help: ArgumentHelp("A shared execution cache speaking Bazel's HTTP remote-cache protocol (bazel-remote, nginx with WebDAV PUT), behind .folio/cache.", valueName: "URL"))
    var cache: CacheAddress?

    @Option(help: ArgumentHelp("Execute only share I of N of the notebooks (1 ≤ I ≤ N, such as 2/4) into the cache and publish nothing; a final build without --shard assembles the site.", valueName: "I/N"))
    var shard: Shard?

    @Flag(name: .shortAndLong, help: "Print only problems and the summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print each notebook's steps and cells as they run.")
    var verbose = false

    @Option(name: .customLong("report"), help: ArgumentHelp("Write a JSON report of the build to FILE.", valueName: "FILE"))
    var report: String?

    @Option(name: .shortAndLong, help: "How many notebooks, and compiler processes in all, to run at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .customLong("no-cache"), help: "Execute every notebook even when its cached outputs are still valid.")
    var noCache = false

    @Flag(name: .customLong("no-execute"), help: "Show cells without compiling or running them.")
    var noExecute = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
        guard !(quiet && verbose) else { throw ValidationError("--quiet and --verbose cannot be used together.") }
        guard maxSets >= 1 else { throw ValidationError("--max-sets must be at least 1.") }
        if case .failure(let e)? = cache?.parsed { throw ValidationError(e.diagnostic.message) }
    }

    var verbosity: ProgressLog.Verbosity { quiet ? .quiet : verbose ? .verbose : .normal }

    /// The flags as the engine takes them; `out` is the command's output as the user gave it.
    /// Paths are made to point at the same files from the build's folder.
    func flags(out: String?, place: ProjectPlace) -> BuildFlags {
        var f = BuildFlags()
        f.inputs = paths.map(place.rebased)
        f.output = out.map(place.absolute)
        f.report = report.map(place.absolute)
        f.jobs = jobs
        f.noCache = noCache
        f.noExecute = noExecute
        f.parameters = parameters
        f.maxSets = maxSets
        f.shard = shard
        if case .success(let url)? = cache?.parsed { f.cache = url }
        return f
    }

    /// Builds `command` with these options as `adjust` completes the flags, and ends with the
    /// build's status as the exit code. `out` is the site folder or file as the user gave it.
    func build(_ command: BuildCommand, out: String?, _ adjust: (inout BuildFlags, ProjectPlace) -> Void = { _, _ in }) throws -> Never {
        let place = try ProjectPlace.find(paths: paths, profile: profile)
        var f = flags(out: out, place: place)
        adjust(&f, place)
        let options = BuildOptions.resolve(command, flags: f, project: place.project)
        let log = ProgressLog(verbosity: verbosity)
        let context = place.context
        let summary = Builder(context: context, options: options, log: log, executor: EngineFactory.executor(for: options, context: context, log: log)).run()
        log.finish()
        throw ExitCode(summary.exitCode)
    }
}

/// Where a command runs: the project the paths belong to (so `.folio/`, the site and every
/// message are the project's, wherever it was started), else the folder it was started in. The
/// only place the working directory is read; the engine gets it as a `BuildContext`.
struct ProjectPlace {
    var project: Project?
    /// The folder the command was started in.
    var start: URL
    var context: BuildContext

    /// A project that cannot be read stops the command here (exit 2), its problem printed.
    static func find(paths: [String], profile: String?) throws -> ProjectPlace {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        let environment = ProcessInfo.processInfo.environment
        let first = paths.first.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL } ?? cwd
        guard let root = Project.find(from: first) else {
            if let profile { throw couldNotBuild(FolioError(file: ProjectFile.name, "--profile \(profile) needs a project, and no folio.yml was found above \(first.path)")) }
            return ProjectPlace(project: nil, start: cwd, context: BuildContext(folder: cwd, environment: environment))
        }
        do {
            let project = try Project.load(root: root, profile: profile)
            for w in project.file.warnings { FileHandle.standardError.write(Data((w.description + "\n").utf8)) }
            return ProjectPlace(project: project, start: cwd, context: BuildContext(project: project, environment: environment))
        } catch let e as FolioError {
            throw couldNotBuild(e)
        }
    }

    /// A path the user gave, as the build's folder sees it: relative below the project's root,
    /// else absolute; without a project, as given.
    func rebased(_ path: String) -> String {
        project == nil ? path : context.shown(URL(fileURLWithPath: path, relativeTo: start))
    }

    /// A path the user gave, in full.
    func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: start).standardizedFileURL.path
    }
}

/// A problem that stops a command before it builds: printed, exit 2.
func couldNotBuild(_ e: FolioError) -> ExitCode {
    FileHandle.standardError.write(Data((e.description + "\n").utf8))
    return ExitCode(ExitStatus.couldNotBuild.rawValue)
}

extension FolioCommand {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build notebooks into a static site.",
            discussion: """
            Parses each notebook, runs its Swift cells, and writes one page per notebook plus \
            an index into the output folder. The site is built beside the output and swapped in \
            at the end, so a failed or interrupted build leaves the previous site as it was.

            \(exitStatusHelp)
            """)

        @OptionGroup var common: RunOptions

        @Option(name: .shortAndLong, help: ArgumentHelp("The site folder (default: site/ in the project).", valueName: "DIR"))
        var out: String?

        @Flag(help: "Also print every page to PDF beside it (x.html → x.pdf), with headless Chromium.")
        var pdf = false

        @Flag(help: "Build from the frozen outputs (folio freeze) alone: no Swift needed; a notebook without current ones fails.")
        var frozen = false

        @Option(help: ArgumentHelp("Paper for PDFs: a4 or letter (default: folio.yml's `paper:`, else a4).", valueName: "SIZE"))
        var paper: Paper?

        mutating func run() throws {
            let pdf = self.pdf, paper = self.paper, frozen = self.frozen
            try common.build(.build, out: out) { f, _ in
                f.pdf = pdf
                f.frozen = frozen
                f.paper = paper
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run notebooks and report their claims without writing a site.",
            discussion: "Every failed claim is printed as FILE:LINE: claim failed: TEXT.\n\n\(exitStatusHelp)")

        @OptionGroup var common: RunOptions

        @Option(help: ArgumentHelp("Write JUnit XML (one test case per claim) to FILE.", valueName: "FILE"))
        var junit: String?

        @Flag(help: "Run nothing; list the notebooks whose frozen outputs (folio freeze) no longer match them, and exit 1 if any.")
        var stale = false

        @Option(help: ArgumentHelp("Also build the site (into .folio/check-site/) and check that its links hold: pages, #ids, assets, PDFs, and web addresses (`--links` alone: all; `--links=internal`: nothing over the network). A broken link fails its notebook at the line that wrote it; a redirect is a warning.", valueName: "all|internal"))
        var links: LinkCheckMode?

        func validate() throws {
            if stale && links != nil { throw ValidationError("--stale runs nothing and builds no site, so it cannot check links; use one or the other.") }
        }

        mutating func run() throws {
            let junit = self.junit, links = self.links
            try common.build(stale ? .staleCheck : .check, out: nil) { f, place in
                f.linkCheck = links
                f.junit = junit.map(place.absolute)
            }
        }
    }

    struct Freeze: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the notebooks (cached) and write their outputs into _freeze/, to commit.",
            discussion: """
            Each notebook's outputs go to one JSON file with what they were made from. `folio build \
            --frozen` then builds the site from them on a machine without Swift, and `folio check \
            --stale` fails when a notebook's code, data files, parameters, shared code or packages \
            changed since (prose edits never make them stale).

            \(exitStatusHelp)
            """)

        @OptionGroup var common: RunOptions

        mutating func run() throws {
            try common.build(.freeze, out: nil)
        }
    }

    struct Pdf: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the project (or the notebooks given) as one PDF report.",
            discussion: """
            A title page, contents with page numbers, the notebooks in the project's order as chapters, \
            one bibliography, and appendices listing every claim and the environment. Runs the \
            notebooks as `build` does (cached), renders them into .folio/report-site/, and prints \
            that with headless Chromium.

            \(exitStatusHelp)
            """)

        @OptionGroup var common: RunOptions

        @Option(name: .shortAndLong, help: ArgumentHelp("The PDF to write (default: report.pdf in the project).", valueName: "FILE"))
        var out: String?

        @Option(help: ArgumentHelp("Paper: a4 or letter (default: folio.yml's `paper:`, else a4).", valueName: "SIZE"))
        var paper: Paper?

        mutating func run() throws {
            let paper = self.paper
            try common.build(.pdf, out: out) { f, _ in f.paper = paper }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the project (or the notebooks given) as a Word document, Jupyter notebooks or pandoc Markdown.",
            discussion: """
            Runs the notebooks as `build` does (cached: after a build nothing runs again) and writes \
            what their pages show, with the same numbers, cross-references, citations and claims. \
            docx: one document through pandoc (Debian's `pandoc`; figures' PNG fallbacks drawn by `rsvg-convert`, \
            Debian's `librsvg2-bin`), formulas as Word equations, tables as Word tables, styled by \
            folio.yml's `docx: {reference: styles.docx}` when given. ipynb: one nbformat 4.5 notebook \
            per notebook, its cells with their outputs. markdown: the pandoc Markdown the Word document \
            is made from, with its figures.

            \(exitStatusHelp)
            """)

        @OptionGroup var common: RunOptions

        @Option(name: .customLong("to"), help: ArgumentHelp("What to write: docx, ipynb or markdown.", valueName: "FORMAT"))
        var format: ExportFormat

        @Option(name: .shortAndLong, help: ArgumentHelp("The Word document (default: report.docx in the project), or the folder of Jupyter notebooks (default: ipynb/) or of the Markdown (default: markdown/).", valueName: "PATH"))
        var out: String?

        @Flag(name: .customLong("no-code"), help: "Leave out the cells' code; their outputs stay.")
        var noCode = false

        mutating func run() throws {
            let noCode = self.noCode
            try common.build(.export(format), out: out) { f, _ in f.noCode = noCode }
        }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build, serve the site on 127.0.0.1, and rebuild and reload pages on every save.",
            discussion: "Compile errors and failed claims show in the pages; a broken notebook never stops the server.")

        @OptionGroup var common: RunOptions

        @Option(help: "Port on 127.0.0.1.")
        var port: Int = 8000

        @Option(name: .shortAndLong, help: ArgumentHelp("The site folder (default: site/ in the project).", valueName: "DIR"))
        var out: String?

        @Option(name: .customLong("allow-host"), help: ArgumentHelp("Also answer requests that name this host (repeatable), such as a name that points at this machine; by default only 127.0.0.1, localhost and [::1] are answered.", valueName: "NAME"))
        var allowHosts: [String] = []

        func validate() throws {
            guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
            for h in allowHosts where h.isEmpty || h.contains(where: { $0 == "/" || $0 == ":" && !h.hasPrefix("[") || $0.isWhitespace }) {
                throw ValidationError("--allow-host takes a host name without a port or scheme, such as --allow-host notes.local; got `\(h)`.")
            }
            if common.shard != nil { throw ValidationError("--shard publishes nothing, so there would be nothing to preview; leave it out.") }
            // Preview prints every build's messages as they come; there is no progress display to quieten.
            if common.quiet || common.verbose { throw ValidationError("--quiet and --verbose are for build, check, freeze and pdf, not preview.") }
        }

        mutating func run() async throws {
            let place = try ProjectPlace.find(paths: common.paths, profile: common.profile)
            // The same resolution as build's: folio.yml's cache:, freeze: auto and paper: hold here too.
            let flags = common.flags(out: out, place: place)
            let options = BuildOptions.resolve(.preview, flags: flags, project: place.project)
            let log = StandardErrorLog()
            let server = PreviewServer(context: place.context, flags: flags, project: place.project, port: UInt16(port), log: log,
                                       executor: EngineFactory.previewExecutor(for: options, context: place.context, log: log), allowHosts: allowHosts)
            do {
                try await server.run()
            } catch {
                FileHandle.standardError.write(Data("folio preview: cannot serve on 127.0.0.1:\(port): \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct Lsp: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the Language Server Protocol on stdin/stdout for an editor.",
            discussion: """
            Diagnostics while typing (front matter, folio.yml, cell options, labels, citations, \
            embeds, math, the cells' Swift), failed claims and crashes after each save, claims as \
            inlay hints, completion of labels, citation keys, keys and cell options, go to \
            definition, references, outline and hover. The project is the client's workspace \
            folder (else the folder Folio was started in); the server writes nothing outside its \
            .folio/. See the guide's "Editor support" chapter for set-up.
            """)

        mutating func run() throws {
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            // A client that goes away must not kill the server with SIGPIPE mid-write.
            signal(SIGPIPE, SIG_IGN)
            let status = LanguageServer(folder: cwd, environment: ProcessInfo.processInfo.environment).run()
            throw ExitCode(status)
        }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a project: folio.yml (every key explained), a notebook, shared Swift code, .gitignore.",
            discussion: "`folio build` in the new folder works at once.")

        @Argument(help: "The project folder (created if missing).")
        var dir: String = "."

        mutating func run() throws {
            do {
                let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                let files = try ProjectTemplate.create(in: dir, root: URL(fileURLWithPath: dir, relativeTo: cwd))
                for f in files { print("created \(f)") }
                print(dir == "." ? "Build it with: folio build" : "Build it with: cd \(dir) && folio build")
            } catch let e as FolioError {
                FileHandle.standardError.write(Data((e.description + "\n").utf8))
                throw ExitCode(ExitStatus.couldNotBuild.rawValue)
            }
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a notebook from a template that shows every feature.")

        @Argument(help: "Name of the notebook (notebooks/NAME.md).")
        var name: String

        @Option(help: ArgumentHelp("Folder to create it in (default: the project's notebooks folder, else notebooks).", valueName: "DIR"))
        var dir: String?

        mutating func run() throws {
            do {
                let folder = dir ?? Self.notebooksFolder()
                let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                let path = try NotebookTemplate.create(name: name, in: folder, folder: URL(fileURLWithPath: folder, relativeTo: cwd))
                print("Created \(path). Build it with: folio build \(path)")
            } catch let e as FolioError {
                FileHandle.standardError.write(Data((e.description + "\n").utf8))
                throw ExitCode(ExitStatus.couldNotBuild.rawValue)
            }
        }
    
        /// Inside a project, its notebooks folder (as seen from here); else `notebooks`.
        static func notebooksFolder() -> String {
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            guard let root = Project.find(from: cwd), let project = try? Project.load(root: root) else { return "notebooks" }
            let folder: URL
            if case .folder(let f) = project.file.notebooks { folder = project.url(f.value) } else { folder = project.root.appendingPathComponent("notebooks") }
            return BuildContext.shown(folder, from: cwd.standardizedFileURL)
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

    struct Reference: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the reference pages of the guide: folio.yml and front-matter keys, cell options, exit status, every command's help.",
            discussion: "The pages are notebooks made from the tables the code reads (its keys, its commands), so the guide cannot drift from them; `make docs` writes them into docs/reference before building the guide.")

        @Option(name: .shortAndLong, help: ArgumentHelp("The folder to write them into (created if missing).", valueName: "DIR"))
        var out: String = "reference"

        mutating func run() throws {
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // `folio --help`, then each command's, as `folio help COMMAND` prints them on a wide terminal.
            var commands = [(name: "folio", help: FolioCommand.helpMessage(columns: 110))]
            for command in FolioCommand.configuration.subcommands {
                let name = command._commandName
                commands.append((name: "folio \(name)", help: FolioCommand.helpMessage(for: command, columns: 110)))
            }
            let pages = [
                "folio-yml.md": ReferencePages.projectFile(),
                "front-matter.md": ReferencePages.frontMatter(),
                "cell-options.md": ReferencePages.cellOptions(),
                "exit-status.md": ReferencePages.exitStatus(),
                "command-line.md": ReferencePages.commandLine(commands),
            ]
            for (name, text) in pages.sorted(by: { $0.key < $1.key }) {
                try Data(text.utf8).write(to: folder.appendingPathComponent(name))
                print("wrote \(folder.appendingPathComponent(name).relativePath)")
            }
        }
    }
}
