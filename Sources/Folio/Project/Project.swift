import Foundation

/// A folder with a `folio.yml`: the notebooks in their order, the defaults they start from, the
/// shared Swift code and packages they may import, the site's title and theme. Found by walking up
/// from the paths given, as git finds its repository. Without one, Folio works as it always did.
public struct Project: Sendable {
    /// The folder holding `folio.yml`.
    public var root: URL
    /// `folio.yml` as messages name it.
    public var filePath: String
    public var file: ProjectFile

    /// The first folder at or above `start` that holds a `folio.yml`.
    public static func find(from start: URL) -> URL? {
        var dir = start.standardizedFileURL
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), !isDir.boolValue { dir.deleteLastPathComponent() }
        while true {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(ProjectFile.name).path) { return dir }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }

    /// Reads the project at `root`; `filePath` is how messages name its `folio.yml`.
    public static func load(root: URL, filePath: String = ProjectFile.name, profile: String? = nil) throws -> Project {
        let url = root.appendingPathComponent(ProjectFile.name)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw FolioError(file: filePath, "cannot read the project file: \(error.localizedDescription)")
        }
        return try load(root: root, text: text, filePath: filePath, profile: profile)
    }

    /// The project at `root` whose `folio.yml` reads `text` (an editor's unsaved buffer).
    public static func load(root: URL, text: String, filePath: String = ProjectFile.name, profile: String? = nil) throws -> Project {
        var file = try ProjectFileReader.read(text, file: filePath, profile: profile)
        // A default bibliography is the project's: relative to `folio.yml`, not to each notebook.
        if let bib = file.defaults.bibliography, !bib.hasPrefix("/") {
            file.defaults.bibliography = root.appendingPathComponent(bib).standardizedFileURL.path
        }
        let project = Project(root: root.standardizedFileURL, filePath: filePath, file: file)
        if let theme = file.theme {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: project.url(theme.value).path, isDirectory: &isDir), isDir.boolValue else {
                throw FolioError(file: filePath, line: theme.line, column: theme.column, "theme folder `\(theme.value)` does not exist")
            }
        }
        if let sources = file.sources {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: project.url(sources.value).path, isDirectory: &isDir), isDir.boolValue else {
                throw FolioError(file: filePath, line: sources.line, column: sources.column, "sources folder `\(sources.value)` does not exist")
            }
        }
        return project
    }

    public func url(_ relative: String) -> URL {
        relative.hasPrefix("/") ? URL(fileURLWithPath: relative) : root.appendingPathComponent(relative).standardizedFileURL
    }

    /// How a message names a file of the project: relative to its root when below it (a build
    /// of the project runs there: `BuildContext(project:)`).
    public func shown(_ url: URL) -> String {
        BuildContext.shown(url, from: root)
    }

    /// The shared Swift folder: `sources:`, else `swift/` when it exists; nil without Swift files.
    public var sharedSources: URL? {
        let folder = file.sources.map { url($0.value) } ?? root.appendingPathComponent("swift")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path),
              names.contains(where: { $0.hasSuffix(".swift") }) else { return nil }
        return folder
    }

    public var themeFolder: URL? { file.theme.map { url($0.value) } }

    // MARK: - The notebooks, in order

    /// The project's notebooks in navigation order, each with its section. Page paths are below
    /// the folder all of them share, so a list under `notebooks/` gives the same pages as the folder.
    public func notebooks() throws -> [Builder.Source] {
        switch file.notebooks {
        case .folder(let folder):
            let dir = url(folder.value)
            guard FileManager.default.fileExists(atPath: dir.path) else {
                throw FolioError(file: filePath, line: folder.line, column: folder.column,
                                 "notebooks folder `\(folder.value)` does not exist; create it or change `notebooks:`")
            }
            return try Builder.discover([shown(dir)], from: root)
        case .ordered(let entries):
            var found: [(url: URL, section: String?)] = []
            var seen: [String: Int] = [:]
            func walk(_ entries: [ProjectFile.NotebookList.Entry], section: String?) throws {
                for entry in entries {
                    switch entry {
                    case .section(let title, let members):
                        try walk(members, section: title.value)
                    case .path(let p):
                        let target = url(p.value)
                        var isDir: ObjCBool = false
                        guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir) else {
                            throw FolioError(file: filePath, line: p.line, column: p.column, "notebook `\(p.value)` does not exist")
                        }
                        let files = isDir.boolValue ? try Builder.discover([shown(target)], from: root).map(\.url.standardizedFileURL) : [target]
                        guard isDir.boolValue || target.pathExtension == "md" else {
                            throw FolioError(file: filePath, line: p.line, column: p.column, "`\(p.value)` is not a notebook (.md) or a folder of them")
                        }
                        for f in files {
                            if let line = seen[f.path] {
                                throw FolioError(file: filePath, line: p.line, column: p.column, "`\(p.value)` is listed twice (also at line \(line))")
                            }
                            seen[f.path] = p.line
                            found.append((f, section))
                        }
                    }
                }
            }
            try walk(entries, section: nil)
            let base = Self.commonFolder(found.map(\.url))
            return found.enumerated().map { i, item in
                let rel = String(item.url.path.dropFirst(base.path.count)).drop { $0 == "/" }
                return Builder.Source(url: item.url, path: shown(item.url), relativePath: String(rel), section: item.section, position: i)
            }
        }
    }

    /// The notebooks named by `inputs`, placed (page path, section, order) as the whole project
    /// would place them; an input outside the project's list is taken as it is.
    public func notebooks(among inputs: [String]) throws -> [Builder.Source] {
        let all = try notebooks()
        let byPath = Dictionary(all.map { ($0.url.standardizedFileURL.path, $0) }, uniquingKeysWith: { a, _ in a })
        return try Builder.discover(inputs, from: root).map { byPath[$0.url.standardizedFileURL.path] ?? $0 }
    }

    /// The deepest folder holding all of `files`.
    static func commonFolder(_ files: [URL]) -> URL {
        guard var common = files.first?.deletingLastPathComponent().pathComponents else { return URL(fileURLWithPath: "/") }
        for f in files.dropFirst() {
            let parts = f.deletingLastPathComponent().pathComponents
            common = Array(zip(common, parts).prefix { $0 == $1 }.map(\.0))
        }
        return URL(fileURLWithPath: NSString.path(withComponents: common.isEmpty ? ["/"] : common))
    }
}
