import Foundation

/// Which command a build serves; each runs its own list of steps (`Builder.steps`).
public enum BuildCommand: Sendable, Equatable {
    /// `folio build`: the site.
    case build
    /// `folio check`: run and report, no site (with `--links`, a site in `.folio/` to check).
    case check
    /// `folio check --stale`: which frozen outputs no longer match their notebooks; nothing runs.
    case staleCheck
    /// `folio freeze`: run and write the outputs into the frozen folder.
    case freeze
    /// `folio pdf`: the site in `.folio/`, printed as one report.
    case pdf
    /// `folio preview`: the site, rebuilt on every save.
    case preview
    /// `folio export --to docx|ipynb`: the runs (cached, as a build's) written for Word or Jupyter.
    case export(ExportFormat)
}

/// What `folio export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One Word document of the notebooks in order (through pandoc).
    case docx
    /// One Jupyter notebook (nbformat 4.5) per notebook.
    case ipynb
    /// The pandoc Markdown a Word document is made from, with its figures: for pandoc's other
    /// writers, or a co-author's own template.
    case markdown

    /// Where it goes without `--out`, relative to the project: a file, or a folder for ipynb.
    var defaultOutput: String {
        switch self {
        case .docx: "report.docx"
        case .ipynb: "ipynb"
        case .markdown: "markdown"
        }
    }
}

/// What the user asked for on the command line (or a server on its client's behalf), each
/// already of its type. `BuildOptions.resolve` lays them over `folio.yml`.
public struct BuildFlags: Sendable {
    /// Notebook files or folders, relative to the build's folder; empty: the project's notebooks.
    public var inputs: [String] = []
    /// `--out`: the site folder, or `folio pdf`'s file; nil: the command's default.
    public var output: String?
    public var report: String?
    public var junit: String?
    public var jobs = 1
    public var noCache = false
    public var noExecute = false
    public var parameters: [ParameterOverride] = []
    public var maxSets = 1000
    public var cache: URL?
    public var shard: Shard?
    /// `build --pdf`.
    public var pdf = false
    /// `build --frozen`.
    public var frozen = false
    public var paper: Paper?
    public var linkCheck: LinkCheckMode?
    /// `export --no-code`: outputs without the code that made them.
    public var noCode = false

    public init() {}
}

/// Everything a build is to do, resolved once from its command, its flags and the project.
public struct BuildOptions: Sendable {
    public var command: BuildCommand = .build
    /// Notebook files or folders of them; empty: the project's notebooks (`notebooks/` without a project).
    public var inputs: [String] = []
    /// The `folio.yml` project the inputs belong to, if any.
    public var project: Project?
    /// The site folder; nil for `folio check` (run, report, write no site).
    public var output: String? = "site"
    public var report: String?
    public var junit: String?
    /// How many notebooks are parsed, run and rendered at once, and how many compiler processes
    /// may run at once in all.
    public var jobs = 1
    /// Compile and run Swift cells.
    public var execute = true
    /// Ignore the execution cache.
    public var noCache = false
    /// Print every page to PDF beside it (`--pdf`); notebooks may ask alone (`pdf: true`).
    public var pdf = false
    public var paper: Paper = .a4
    /// `folio pdf`: the project as one report, into this file.
    public var combinedPDF: String?
    /// `folio export`: the file (docx) or folder (ipynb) it writes.
    public var exportOutput: String?
    /// `folio export --no-code`.
    public var exportsCode = true
    /// `-P NAME=VALUE`, in the order given: each must name a parameter of a notebook built.
    public var parameters: [ParameterOverride] = []
    /// folio.yml's `params:` that `-P` does not set.
    public var projectParameters: [ParameterOverride] = []
    /// The most sets one sweep may run (`--max-sets`).
    public var maxSets = 1000
    /// A shared HTTP cache behind `.folio/cache` (`--cache`, `cache:` in folio.yml).
    public var sharedCache: URL?
    /// Execute only this share of the notebooks and publish nothing (`--shard 2/4`).
    public var shard: Shard?
    /// Build from frozen outputs: only them (`--frozen`), or them where current (`freeze: auto`).
    public var freeze: FreezeMode?
    public var freezeDirectory = FrozenStore.defaultDirectory
    /// Check the links of the published site (`folio check --links`).
    public var linkCheck: LinkCheckMode?
    /// Front matter every notebook starts from (folio.yml's `defaults:`).
    public var defaults = FrontMatter()
    /// Chapters and their labels numbered (folio.yml's `number-sections:`).
    public var numberSections = false
    /// Resolve and build the project's packages when they are not built (false: use what a
    /// build made, and fail otherwise; the language server never runs SwiftPM).
    public var buildsPackages = true

    public enum FreezeMode: Sendable { case required, auto }

    public init() {}

    /// The one place flags, the profile (already applied to `project` by `Project.load`) and
    /// folio.yml are merged: a flag wins over the file, the file over Folio's defaults.
    public static func resolve(_ command: BuildCommand, flags: BuildFlags, project: Project?) -> BuildOptions {
        var o = BuildOptions()
        o.command = command
        o.project = project
        if let file = project?.file {
            o.paper = file.paper ?? .a4
            o.freezeDirectory = file.freezeDirectory
            if file.freezeAuto { o.freeze = .auto }
            o.sharedCache = file.cache
            o.defaults = file.defaults
            o.numberSections = file.numberSections == true
        }
        o.inputs = flags.inputs
        o.report = flags.report
        o.junit = flags.junit
        o.jobs = max(1, flags.jobs)
        o.noCache = flags.noCache
        o.execute = !flags.noExecute
        o.maxSets = flags.maxSets
        o.shard = flags.shard
        o.pdf = flags.pdf
        o.linkCheck = flags.linkCheck
        if let paper = flags.paper { o.paper = paper }
        if let cache = flags.cache { o.sharedCache = cache }
        if flags.frozen { o.freeze = .required }
        o.parameters = flags.parameters
        o.projectParameters = (project?.file.params ?? []).filter { p in !flags.parameters.contains { $0.name == p.name } }
        switch command {
        case .build, .preview: o.output = flags.output ?? "site"
        case .check: o.output = flags.linkCheck == nil ? nil : StateDirectory.checkSite
        case .staleCheck, .freeze: o.output = nil
        case .pdf:
            o.output = StateDirectory.reportSite
            o.combinedPDF = flags.output ?? "report.pdf"
        case .export(let format):
            // No site: an export reads the runs (from the cache after a build) and writes one thing.
            o.output = nil
            o.exportOutput = flags.output ?? format.defaultOutput
            o.exportsCode = !flags.noCode
        }
        return o
    }
}
