import Foundation

/// Where a build runs, made once by whoever drives the engine (the CLI, a test, a language
/// server) and handed down: the folder its relative paths start from, its `.folio/`, and the
/// environment it reads its settings from. The engine never reads the process's working
/// directory or environment on its own, so one process can build several projects, at once.
public struct BuildContext: Sendable {
    /// Relative paths (inputs, the site, reports, notebooks' names in messages) start here: the
    /// project's root, or the folder the command was started in when there is no project.
    public var folder: URL
    /// What builds in `folder` remember between runs.
    public var state: StateDirectory
    /// `FOLIO_SWIFTC`, `FOLIO_RUNTIME_DIR`, `FOLIO_KATEX_DIR`, `PATH`, …
    public var environment: [String: String]

    public init(folder: URL, state: StateDirectory? = nil, environment: [String: String]) {
        self.folder = folder.standardizedFileURL
        self.state = state ?? StateDirectory(in: self.folder)
        self.environment = environment
    }

    /// The build context of a project: its root, its `.folio/`.
    public init(project: Project, environment: [String: String]) {
        self.init(folder: project.root, environment: environment)
    }

    /// `path` as a file: relative paths start at `folder`.
    public func url(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path).standardizedFileURL : folder.appendingPathComponent(path).standardizedFileURL
    }

    /// How a message names `url`: relative to `folder` when below it, else in full.
    public func shown(_ url: URL) -> String {
        Self.shown(url, from: folder)
    }

    /// How a message names `url` to someone in `folder`.
    public static func shown(_ url: URL, from folder: URL) -> String {
        let path = url.standardizedFileURL.path, base = folder.standardizedFileURL.path
        if path == base { return "." }
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }
}
