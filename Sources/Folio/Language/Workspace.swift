import Foundation

/// The project as the editor sees it: its notebooks on disk, with each open document's unsaved
/// text in place of its file, parsed and linked the way a build does (`NotebookParser`,
/// `NotebookGraph`, `BookIndex`), so a label added in an unsaved buffer resolves elsewhere.
/// Nothing here writes a file.
struct Workspace {
    let context: BuildContext
    /// folio.yml as last read; nil outside a project or while it does not read.
    private(set) var project: Project?
    /// Why folio.yml does not read, at its line.
    private(set) var projectProblem: FolioError?

    init(folder: URL, environment: [String: String]) {
        let root = Project.find(from: folder) ?? folder
        context = BuildContext(folder: root, environment: environment)
        reloadProject(text: nil)
    }

    var projectFile: URL { context.folder.appendingPathComponent(ProjectFile.name) }

    /// Reads folio.yml again, from `text` when it is open in the editor.
    mutating func reloadProject(text: String?) {
        projectProblem = nil
        guard FileManager.default.fileExists(atPath: projectFile.path) || text != nil else { project = nil; return }
        do {
            project = try text.map { try Project.load(root: context.folder, text: $0) } ?? Project.load(root: context.folder)
        } catch let e as FolioError {
            projectProblem = e
        } catch {
            projectProblem = FolioError(file: ProjectFile.name, "\(error)")
        }
    }

    /// The notebooks a build of the project would take (the project's, else `notebooks/`), plus
    /// any open notebook outside them.
    func sources(open: [URL]) -> [Builder.Source] {
        var sources: [Builder.Source]
        if let project {
            sources = (try? project.notebooks()) ?? []
        } else {
            let folder = context.folder.appendingPathComponent("notebooks")
            sources = FileManager.default.fileExists(atPath: folder.path) ? ((try? Builder.discover(["notebooks"], from: context.folder)) ?? []) : []
        }
        let known = Set(sources.map { $0.url.standardizedFileURL.path })
        for url in open where url.pathExtension == "md" && !known.contains(url.standardizedFileURL.path) {
            sources.append(Builder.Source(url: url, path: context.shown(url), relativePath: url.lastPathComponent))
        }
        return sources
    }

    /// What the project's notebooks say, each read from its open document if there is one.
    struct Analysis {
        var notebooks: [Notebook] = []
        /// A notebook that could not be read (front matter that is not YAML, not UTF-8), by file path.
        var failures: [String: FolioError] = [:]
        var book = BookIndex()
        var graph: NotebookGraph?
        var cycle: FolioError?

        func notebook(at file: URL) -> Notebook? {
            let path = file.standardizedFileURL.path
            return notebooks.first { $0.file.path == path }
        }

        func index(of file: URL) -> Int? {
            let path = file.standardizedFileURL.path
            return notebooks.firstIndex { $0.file.path == path }
        }
    }

    func analyse(open: [URL: String], cache: inout ParseCache) -> Analysis {
        var a = Analysis()
        let defaults = project?.file.defaults ?? FrontMatter()
        var fresh = ParseCache()
        fresh.open = open
        for src in sources(open: Array(open.keys)) {
            let file = src.url.standardizedFileURL
            guard let text = open[file] ?? (try? String(contentsOf: file, encoding: .utf8)) else {
                a.failures[file.path] = FolioError(file: src.path, "cannot read the file as UTF-8 text")
                continue
            }
            let key = ParseCache.Key(path: file.path, shown: src.path, relativePath: src.relativePath, text: text, position: src.position, section: src.section)
            let result: Result<Notebook, FolioError>
            if let cached = cache.results[key], cached.stillCurrent { result = cached.result } else {
                do {
                    var nb = try NotebookParser.parse(text: text, path: src.path, file: file, relativePath: src.relativePath, defaults: defaults)
                    nb.place = src.position.map { Notebook.Place(position: $0, section: src.section) }
                    result = .success(nb)
                } catch let e as FolioError {
                    result = .failure(e)
                } catch {
                    result = .failure(FolioError(file: src.path, "\(error)"))
                }
            }
            fresh.results[key] = ParseCache.Entry(result)
            switch result {
            case .success(let nb): a.notebooks.append(nb)
            case .failure(let e): a.failures[file.path] = e
            }
        }
        cache = fresh
        do {
            let graph = try NotebookGraph(a.notebooks)
            for (i, problems) in graph.diagnostics { a.notebooks[i].warnings += problems }
            a.graph = graph
        } catch let e as FolioError {
            a.cycle = e
        } catch {}
        let numbered = project?.file.numberSections == true
        a.book = BookIndex(a.notebooks, chapterOrder: numbered ? RenderedSite.readingOrder(a.notebooks).map(\.path) : nil)
        return a
    }

    /// The file a notebook's message names (`notebooks/a.md`), as a URL.
    func file(named path: String) -> URL { context.url(path) }
}

/// Parsed notebooks by their text, so an analysis after a keystroke parses only what changed.
/// A cache is only as good as the project's defaults it was made with: a changed folio.yml clears it.
struct ParseCache {
    struct Key: Hashable {
        var path: String
        var shown: String
        var relativePath: String
        var text: String
        var position: Int?
        var section: String?
    }
    /// A parse, with the files besides its text it read (its bibliography) and their stamps.
    struct Entry {
        var result: Result<Notebook, FolioError>
        var reads: [String: String]

        init(_ result: Result<Notebook, FolioError>) {
            self.result = result
            reads = [:]
            if case .success(let nb) = result, let bib = nb.frontMatter.bibliography {
                let path = bib.hasPrefix("/") ? bib : nb.file.deletingLastPathComponent().appendingPathComponent(bib).standardizedFileURL.path
                reads[path] = FileStamp.of(path)
            }
        }

        /// Whether the parse still holds: it succeeded (a failure is tried again) and what it read is unchanged.
        var stillCurrent: Bool {
            guard case .success = result else { return false }
            return reads.allSatisfy { FileStamp.of($0.key) == $0.value }
        }
    }
    var results: [Key: Entry] = [:]
    /// The open documents' texts the cache was made from.
    var open: [URL: String]?

    /// Whether an analysis made with this cache still describes `open` (and the files they read).
    func matches(_ open: [URL: String]) -> Bool { self.open == open && results.values.allSatisfy(\.stillCurrent) }
}

/// `file:///a/b.md` ↔ the file's URL.
enum DocumentURI {
    static func file(_ uri: String) -> URL? {
        guard let url = URL(string: uri), url.isFileURL else { return nil }
        return url.standardizedFileURL
    }

    static func of(_ file: URL) -> String { file.standardizedFileURL.absoluteString }
}
