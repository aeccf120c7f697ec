import Foundation
import Yams

/// `folio.yml`: what a project says about itself. Read once per build, before anything else;
/// every value keeps the line it came from so a wrong one is an error at `folio.yml:LINE:COL`.
public struct ProjectFile: Sendable {
    public static let name = "folio.yml"

    public var title: String?
    public var description: String?
    public var author: String?
    /// For absolute links (`sitemap.xml`); without it no sitemap is written.
    public var baseURL: String?
    public var notebooks: NotebookList = .folder(Located("notebooks", line: 0, column: 0))
    /// Front matter every notebook starts from; its own front matter overrides key by key.
    public var defaults = FrontMatter()
    /// A folder whose files replace parts of the default theme.
    public var theme: Located<String>?
    /// The shared Swift folder; nil: `swift/` when it exists.
    public var sources: Located<String>?
    public var packages: [PackageRequirement] = []
    /// The paper PDFs print on (`--paper` overrides).
    public var paper: Paper?
    /// Parameter values for the notebooks that declare them (a profile sets these; `-P` wins).
    public var params: [ParameterOverride] = []
    /// A shared HTTP execution cache (`--cache` overrides).
    public var cache: URL?
    /// `freeze: auto`: notebooks whose frozen outputs are current are shown from them.
    public var freezeAuto = false
    /// Where `folio freeze` writes (`freeze: {dir: …}`; default `_freeze`).
    public var freezeDirectory = FrozenStore.defaultDirectory
    /// `number-sections: true`: notebooks are numbered as chapters in the project's order, and
    /// their sections, figures, tables, equations and statements within them ("Figure 3.2").
    public var numberSections = false
    /// `docx: {reference: styles.docx}`: the Word document whose styles `folio export --to docx`
    /// uses (pandoc's `--reference-doc`), relative to the project.
    public var docxReference: Located<String>?
    /// Which profile was applied (`--profile`), if any.
    public var profile: String?
    /// Unknown keys and other things that do not stop the build.
    public var warnings: [Diagnostic] = []

    public init() {}

    /// A value and where it was written.
    public struct Located<Value: Sendable>: Sendable {
        public var value: Value
        public var line: Int
        public var column: Int

        public init(_ value: Value, line: Int, column: Int) {
            self.value = value
            self.line = line
            self.column = column
        }
    }

    /// `notebooks:` either names a folder or lists the notebooks in order, in sections or not.
    public enum NotebookList: Sendable {
        case folder(Located<String>)
        case ordered([Entry])

        public enum Entry: Sendable {
            /// A `.md` file, or a folder whose notebooks come in name order.
            case path(Located<String>)
            /// `- section: Title` with its own `notebooks:` list.
            case section(Located<String>, [Entry])
        }
    }

    /// One `packages:` entry, as a `.package(url:…)` line of a `Package.swift` would say it.
    public struct PackageRequirement: Sendable, Equatable {
        public enum Version: Sendable, Equatable {
            case from(String), exact(String), branch(String)
        }
        public var url: String
        public var version: Version
        public var products: [String]
        /// The `- url:` place, where errors about this package point.
        public var line: Int
        public var column: Int = 0

        /// SwiftPM's identity of the package: the last path component of its URL, lower-cased.
        public var identity: String {
            var last = url.split(separator: "/").last.map(String.init) ?? url
            if last.hasSuffix(".git") { last.removeLast(4) }
            return last.lowercased()
        }
    }

    /// The keys folio.yml may have; anything else is warned about and ignored. Each says what it
    /// takes and means, for the guide's folio.yml reference and the editor.
    enum Key: String, CaseIterable {
        case title, description, author, baseURL = "base-url", notebooks, defaults, profiles, theme, sources, packages, paper, params,
             cache, freeze, numberSections = "number-sections", docx

        var described: KeyDescription {
            switch self {
            case .title: .init(name: rawValue, value: "text", meaning: "the site's name: its header, every `<title>`, the index (default \"Folio\")")
            case .description: .init(name: rawValue, value: "text", meaning: "`<meta name=\"description\">` of pages without their own")
            case .author: .init(name: rawValue, value: "text", meaning: "`<meta name=\"author\">` on every page; the PDF report's title page")
            case .baseURL: .init(name: rawValue, value: "a URL", meaning: "the site's address; with it Folio writes `sitemap.xml`")
            case .notebooks: .init(name: rawValue, value: "a folder, or a list of notebooks, folders and `- section:` entries", meaning: "which notebooks, in which order (default: the folder `notebooks`)")
            case .defaults: .init(name: rawValue, value: "front matter", meaning: "front matter every notebook starts from; a notebook's own keys override these one by one")
            case .profiles: .init(name: rawValue, value: "a mapping of name: keys", meaning: "`--profile NAME` lays that profile's keys over the file's (`defaults:` merged key by key)")
            case .theme: .init(name: rawValue, value: "a folder", meaning: "files that replace parts of the default theme: `folio.css`, Mustache templates")
            case .sources: .init(name: rawValue, value: "a folder", meaning: "the shared Swift code every notebook imports as the module `Shared` (default `swift/` when it exists)")
            case .packages: .init(name: rawValue, value: "a list of `url:`, `from:`/`exact:`/`branch:`, `products:`", meaning: "SwiftPM packages whose products cells may import, pinned in `folio.lock`")
            case .paper: .init(name: rawValue, value: "`a4` or `letter`", meaning: "the paper PDFs print on (`--paper` overrides)")
            case .params: .init(name: rawValue, value: "a mapping of name: value", meaning: "values for the notebooks' parameters (`-P` overrides)")
            case .cache: .init(name: rawValue, value: "a URL", meaning: "a shared HTTP execution cache (`--cache` overrides)")
            case .freeze: .init(name: rawValue, value: "`auto`, or `{dir: folder}`", meaning: "`auto`: notebooks whose frozen outputs are current are shown from them; `dir`: where `folio freeze` writes (default `_freeze`)")
            case .numberSections: .init(name: rawValue, value: "true or false", meaning: "number the notebooks as chapters in the project's order, and their sections, figures, tables, equations and statements within them")
            case .docx: .init(name: rawValue, value: "`{reference: file.docx}`", meaning: "the Word document whose styles `folio export --to docx` uses")
            }
        }
    }

    static var knownKeys: [String] { Key.allCases.map(\.rawValue) }
}

/// Reads `folio.yml` with Yams, applying a profile on top of the file's own values.
public enum ProjectFileReader {
    public static func read(_ text: String, file: String, profile: String? = nil) throws -> ProjectFile {
        var project = ProjectFile()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let (line, problem) = YAMLErrorPlace.describe(error, in: text)
            throw FolioError(file: file, line: line, "not valid YAML: \(problem)")
        }
        guard let root else {
            if let profile { throw FolioError(file: file, line: 1, "unknown profile `\(profile)`: \(file) defines no profiles") }
            return project
        }
        guard case .mapping(let mapping) = root else {
            throw FolioError(file: file, line: line(root), column: column(root), "the project file must be a mapping of `key: value` lines")
        }
        var entries = Self.entries(mapping)

        if let profile {
            entries = try applying(profile: profile, to: entries, file: file)
            project.profile = profile
        }

        for item in entries { try apply(item, to: &project, file: file) }
        return project
    }

    /// One key of folio.yml into `project`; an unknown key is a warning.
    static func apply(_ item: Entry, to project: inout ProjectFile, file: String) throws {
        let value = item.value
        func fail(_ expected: String) -> FolioError {
            FolioError(file: file, line: line(value), column: column(value), "`\(item.key)` must be \(expected)")
        }
        func string() throws -> String {
            guard case .scalar(let s) = value else { throw fail("a single value") }
            return s.string
        }
        func located() throws -> ProjectFile.Located<String> {
            .init(try string(), line: line(value), column: column(value))
        }
        switch ProjectFile.Key(rawValue: item.key) {
        case .title?: project.title = try string()
        case .description?: project.description = try string()
        case .author?: project.author = try string()
        case .baseURL?:
            let url = try string()
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else { throw fail("an http:// or https:// address") }
            project.baseURL = url.hasSuffix("/") ? url : url + "/"
        case .notebooks?:
            if case .scalar = value {
                project.notebooks = .folder(try located())
            } else {
                project.notebooks = .ordered(try notebookEntries(value, file: file))
            }
        case .defaults?:
            guard case .mapping(let defaults) = value else { throw fail("a mapping of front matter keys") }
            var warnings: [Diagnostic] = []
            try FrontMatterReader.apply(defaults, to: &project.defaults, file: file, lineOf: { line($0) }, columnOf: { column($0) },
                                        name: { "`defaults.\($0)`" }, warnings: &warnings)
            project.warnings += warnings
            project.defaults.keyLines = [:]
        case .profiles?:
            guard case .mapping = value else { throw fail("a mapping of profile names to project keys") }
        case .theme?: project.theme = try located()
        case .sources?: project.sources = try located()
        case .packages?: project.packages = try packages(value, file: file)
        case .params?:
            guard case .mapping(let m) = value else { throw fail("a mapping of parameter names to values") }
            project.params = try m.map { k, v in
                let text: String
                switch v {
                case .scalar(let s): text = s.string
                case .sequence(let seq): text = seq.compactMap(\.string).joined(separator: ",")
                default: throw FolioError(file: file, line: line(v), column: column(v), "`params.\(k.string ?? "")` must be a value or a list")
                }
                return ParameterOverride(name: k.string ?? "", value: text, source: "\(file):\(line(k))")
            }
        case .freeze?:
            switch value {
            case .scalar(let s) where s.string == "auto" || s.string == "off": project.freezeAuto = s.string == "auto"
            case .mapping(let m):
                for (k, v) in m {
                    switch (k.string, v.string) {
                    case ("mode", "auto"?), ("mode", "off"?): project.freezeAuto = v.string == "auto"
                    case ("dir", let d?) where !d.isEmpty: project.freezeDirectory = d
                    default: throw FolioError(file: file, line: line(k), column: column(k), "`freeze` takes `mode: auto|off` and `dir: FOLDER`")
                    }
                }
            default: throw fail("`auto`, `off`, or a mapping with `mode` and `dir`")
            }
        case .cache?:
            switch RemoteCache.parse(try string()) {
            case .success(let url): project.cache = url
            case .failure(let e): throw FolioError(file: file, line: line(value), column: column(value), e.diagnostic.message)
            }
        case .numberSections?:
            switch value.string {
            case "true"?: project.numberSections = true
            case "false"?: project.numberSections = false
            default: throw fail("true or false")
            }
        case .docx?:
            guard case .mapping(let m) = value else { throw fail("a mapping with `reference: FILE.docx`") }
            for (k, v) in m {
                guard k.string == "reference", case .scalar(let s) = v, s.string.lowercased().hasSuffix(".docx") else {
                    throw FolioError(file: file, line: line(k), column: column(k), "`docx` takes `reference: FILE.docx` (a Word document whose styles the export uses)")
                }
                project.docxReference = .init(s.string, line: line(v), column: column(v))
            }
        case .paper?:
            guard let paper = Paper(rawValue: try string().lowercased()) else { throw fail("a4 or letter") }
            project.paper = paper
        case nil:
            project.warnings.append(Diagnostic(file: file, line: line(item.keyNode), column: column(item.keyNode), severity: .warning,
                                               message: "unknown key `\(item.key)` is ignored; the keys are \(ProjectFile.knownKeys.sorted().joined(separator: ", "))"))
        }
    
    }

    /// The file's entries with profile `profile`'s laid over them: a profile's keys replace the
    /// file's; its `defaults:` are merged into the file's key by key.
    static func applying(profile: String, to entries: [Entry], file: String) throws -> [Entry] {
        var entries = entries
        guard let profiles = entries.first(where: { $0.key == "profiles" })?.value, case .mapping(let all) = profiles else {
            throw FolioError(file: file, line: 1, "unknown profile `\(profile)`: \(file) has no `profiles:`")
        }
        guard let chosen = Self.entries(all).first(where: { $0.key == profile }) else {
            let names = Self.entries(all).map(\.key).joined(separator: ", ")
            throw FolioError(file: file, line: line(profiles), column: column(profiles),
                             "unknown profile `\(profile)`; the profiles here are: \(names.isEmpty ? "none" : names)")
        }
        guard case .mapping(let overlay) = chosen.value else {
            throw FolioError(file: file, line: line(chosen.value), column: column(chosen.value), "profile `\(profile)` must be a mapping of project keys")
        }
        for item in Self.entries(overlay) {
            if item.key == "profiles" {
                throw FolioError(file: file, line: line(item.keyNode), column: column(item.keyNode), "a profile cannot define profiles")
            }
            if item.key == "defaults", let i = entries.firstIndex(where: { $0.key == "defaults" }),
               case .mapping(let base) = entries[i].value, case .mapping(let extra) = item.value {
                var merged = Self.entries(base).filter { b in !Self.entries(extra).contains { $0.key == b.key } }
                merged += Self.entries(extra)
                entries[i].value = .mapping(Node.Mapping(merged.map { ($0.keyNode, $0.value) }))
            } else if let i = entries.firstIndex(where: { $0.key == item.key }) {
                entries[i] = item
            } else {
                entries.append(item)
            }
        }
        return entries
    }

    // MARK: - Parts

    static func notebookEntries(_ node: Node, file: String) throws -> [ProjectFile.NotebookList.Entry] {
        guard case .sequence(let items) = node else {
            throw FolioError(file: file, line: line(node), column: column(node), "`notebooks` must be a folder or a list of notebooks and sections")
        }
        return try items.map { item in
            switch item {
            case .scalar(let s):
                return .path(.init(s.string, line: line(item), column: column(item)))
            case .mapping(let m):
                let fields = entries(m)
                guard let title = fields.first(where: { $0.key == "section" }) else {
                    throw FolioError(file: file, line: line(item), column: column(item), "a notebooks entry is a path or `section:` with `notebooks:`")
                }
                guard case .scalar(let t) = title.value else {
                    throw FolioError(file: file, line: line(title.value), column: column(title.value), "`section` must be a title")
                }
                for extra in fields where extra.key != "section" && extra.key != "notebooks" {
                    throw FolioError(file: file, line: line(extra.keyNode), column: column(extra.keyNode),
                                     "unknown key `\(extra.key)` in a section; a section has `section:` and `notebooks:`")
                }
                let members = try fields.first(where: { $0.key == "notebooks" }).map { try notebookEntries($0.value, file: file) } ?? []
                return .section(.init(t.string, line: line(title.value), column: column(title.value)), members)
            default:
                throw FolioError(file: file, line: line(item), column: column(item), "a notebooks entry is a path or `section:` with `notebooks:`")
            }
        }
    }

    static func packages(_ node: Node, file: String) throws -> [ProjectFile.PackageRequirement] {
        guard case .sequence(let items) = node else {
            throw FolioError(file: file, line: line(node), column: column(node), "`packages` must be a list of `- url:` entries")
        }
        return try items.map { item in
            guard case .mapping(let m) = item else {
                throw FolioError(file: file, line: line(item), column: column(item), "a package is a mapping: `url:`, one of `from:`/`exact:`/`branch:`, `products:`")
            }
            var url: String?, version: ProjectFile.PackageRequirement.Version?, products: [String] = []
            for field in entries(m) {
                func scalar() throws -> String {
                    guard case .scalar(let s) = field.value, !s.string.isEmpty else {
                        throw FolioError(file: file, line: line(field.value), column: column(field.value), "`\(field.key)` must be a single value")
                    }
                    return s.string
                }
                func setVersion(_ v: ProjectFile.PackageRequirement.Version) throws {
                    guard version == nil else {
                        throw FolioError(file: file, line: line(field.keyNode), column: column(field.keyNode), "give one of `from:`, `exact:` or `branch:`, not several")
                    }
                    version = v
                }
                switch field.key {
                case "url": url = try scalar()
                case "from":
                    let v = try scalar()
                    guard isVersion(v) else { throw FolioError(file: file, line: line(field.value), column: column(field.value), "`from` must be a version such as 1.1.1") }
                    try setVersion(.from(v))
                case "exact":
                    let v = try scalar()
                    guard isVersion(v) else { throw FolioError(file: file, line: line(field.value), column: column(field.value), "`exact` must be a version such as 1.1.1") }
                    try setVersion(.exact(v))
                case "branch": try setVersion(.branch(try scalar()))
                case "products":
                    switch field.value {
                    case .scalar(let s): products = [s.string]
                    case .sequence(let seq):
                        products = try seq.map { p in
                            guard case .scalar(let s) = p, s.string.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                                throw FolioError(file: file, line: line(p), column: column(p), "a product is a name such as Numerics")
                            }
                            return s.string
                        }
                    default:
                        throw FolioError(file: file, line: line(field.value), column: column(field.value), "`products` must be a list of product names")
                    }
                default:
                    throw FolioError(file: file, line: line(field.keyNode), column: column(field.keyNode),
                                     "unknown package key `\(field.key)`; a package has url, from/exact/branch and products")
                }
            }
            guard let url else { throw FolioError(file: file, line: line(item), column: column(item), "a package needs `url:`") }
            guard let version else {
                throw FolioError(file: file, line: line(item), column: column(item), "package \(url) needs one of `from:`, `exact:` or `branch:`")
            }
            guard !products.isEmpty else {
                throw FolioError(file: file, line: line(item), column: column(item), "package \(url) needs `products:`, the libraries cells import")
            }
            return .init(url: url, version: version, products: products, line: line(item), column: column(item))
        }
    }

    static func isVersion(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return (1...3).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    // MARK: - YAML helpers

    struct Entry {
        var key: String
        var keyNode: Node
        var value: Node
    }

    static func entries(_ mapping: Node.Mapping) -> [Entry] {
        mapping.compactMap { k, v in k.string.map { Entry(key: $0, keyNode: k, value: v) } }
    }

    static func line(_ node: Node) -> Int { node.mark?.line ?? 1 }
    static func column(_ node: Node) -> Int { node.mark?.column ?? 0 }

}
