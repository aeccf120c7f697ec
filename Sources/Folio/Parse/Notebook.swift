import Foundation

/// A parsed notebook: what the Execute stage runs and the Render stage lays out.
public struct Notebook: Codable, Sendable {
    /// The path as the user named it (`notebooks/a/b.md`), used in every message.
    public var path: String
    /// The file itself: where its images, data files, bibliography and imports are looked for.
    public var file: URL
    /// The path below the folder being built (`a/b.md`); the page goes to `a/b.html`.
    public var relativePath: String
    public var frontMatter: FrontMatter
    /// Prose and cells in document order.
    public var blocks: [Block]
    /// Top-level headings, for the table of contents.
    public var headings: [Heading]
    /// Formulas, indexed by the placeholders left in prose HTML.
    public var math: [MathSpan]
    /// Problems found while parsing that do not stop the build.
    public var warnings: [Diagnostic]
    /// `[@key]` citations, `@fig-x` references and `` `{swift} …` `` values, by placeholder index.
    public var citations: [Citation] = []
    public var references: [CrossReference] = []
    public var inlineExpressions: [InlineExpression] = []
    /// Theorem-like statements (`::: {#thm-x}`), by the index their blocks carry.
    public var statements: [Statement] = []
    /// Markdown tables with a `: caption {#tbl-x}` line, by the index their blocks carry.
    public var tables: [LabelledTable] = []
    /// Other notebooks' outputs shown here (`{{< embed other.md#fig-x >}}`), by block index.
    public var embeds: [Embed] = []
    /// Values this notebook takes from others (`imported("other.md", "name", as: …)`), as
    /// its cells name them, with the values the build found for them (before it runs).
    public var imports: [ImportedValue] = []
    /// Local images the prose shows, relative to the notebook's folder; copied into the site.
    public var images: [String] = []
    /// The prose's links and images, as the page carries them, with the `.md` line that wrote
    /// each: where `folio check --links` reports a broken one.
    public var links: [Link] = []

    public struct Link: Codable, Sendable, Equatable {
        public var url: String
        public var line: Int
    }
    /// Entries from the front matter's `bibliography:` file and ```` ```bibtex ```` blocks.
    public var bibliography: [String: BibEntry] = [:]
    /// Where a project's `notebooks:` list puts it; nil outside such a list.
    public var place: Place?
    /// The parameter set this run of a swept notebook uses (its page is `x/SET.html`).
    public var sweepSet: SweepSet?

    /// How logs and progress name this run: the path, and a swept run's set.
    public var runName: String { sweepSet.map { "\(path) [\($0.label)]" } ?? path }

    public struct Place: Codable, Sendable, Equatable {
        /// Its index in the project's order.
        public var position: Int
        /// The `section:` it is listed under.
        public var section: String?
    }

    /// `file` nil: a notebook read from no file (a test's text), whose `path` is taken as is.
    public init(path: String, file: URL? = nil, relativePath: String, frontMatter: FrontMatter, blocks: [Block], headings: [Heading],
                math: [MathSpan], warnings: [Diagnostic]) {
        self.path = path
        self.file = (file ?? URL(fileURLWithPath: path)).standardizedFileURL
        self.relativePath = relativePath
        self.frontMatter = frontMatter
        self.blocks = blocks
        self.headings = headings
        self.math = math
        self.warnings = warnings
    }

    /// Whether there is Swift to run: executable cells or inline values.
    public var hasCode: Bool { cells.contains(where: \.isExecutable) || !inlineExpressions.isEmpty }

    /// One piece of the document, in order. Parse says what a piece is; Render draws it.
    /// Prose fragments between other blocks need not be balanced HTML on their own (a heading
    /// inside a list item splits the list's HTML); in order they make the page.
    public enum Block: Codable, Sendable {
        /// HTML rendered by cmark-gfm, with placeholders still in it.
        case prose(String)
        /// A heading, with the id it got.
        case heading(Heading)
        /// A GitHub alert (`> [!NOTE]`); the blocks up to `calloutEnd` are its body.
        case calloutStart(CalloutKind)
        case calloutEnd
        /// A statement's box opens (`statements[n]`); the blocks up to `statementEnd` are its body.
        case statementStart(Int)
        case statementEnd
        /// Another notebook's labelled output (`embeds[n]`).
        case embed(Int)
        /// A labelled Markdown table (`tables[n]`): its HTML is the prose up to `tableEnd`.
        case tableStart(Int)
        case tableEnd
        case cell(Cell)
    }

    public var cells: [Cell] {
        blocks.compactMap { if case .cell(let c) = $0 { return c } else { return nil } }
    }

    /// The page title: front matter, else the first heading, else the file name.
    public var title: String {
        if let t = frontMatter.title, !t.isEmpty { return t }
        if let h = headings.first(where: { $0.level == 1 }) { return h.text }
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        return name.hasSuffix(".md") ? String(name.dropLast(3)) : name
    }

    /// The folder being built, which `relativePath` is below: images and bibliographies must stay
    /// inside it (judged here, never against the working directory).
    public var rootFolder: URL {
        var url = file
        for _ in relativePath.split(separator: "/") { url.deleteLastPathComponent() }
        return url
    }

    /// Where an image of `images` goes in the site: the same place relative to the page as the
    /// file is to the notebook (`../figures/a.png` from `sub/b.md` → `figures/a.png`).
    public func sitePath(ofImage image: String) -> String? {
        Self.normalized(relativePath.split(separator: "/").dropLast().map(String.init) + image.split(separator: "/").map(String.init))
    }

    /// `a/./b/../c` → `a/c`; nil when the path climbs above its start.
    static func normalized(_ components: [String]) -> String? {
        var out: [String] = []
        for c in components where c != "." && !c.isEmpty {
            if c == ".." { guard out.popLast() != nil else { return nil } } else { out.append(c) }
        }
        return out.joined(separator: "/")
    }

    /// Where the page goes, relative to the site root (`a/b.md` → `a/b.html`).
    public var pagePath: String {
        (relativePath.hasSuffix(".md") ? String(relativePath.dropLast(3)) : relativePath) + ".html"
    }
}

/// GitHub's alert kinds.
public enum CalloutKind: String, Codable, Sendable, CaseIterable {
    case note, tip, important, warning, caution

    /// The title the callout shows.
    public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// A heading, with the anchor id it got on the page.
public struct Heading: Codable, Equatable, Sendable {
    public var level: Int
    /// Plain text (formulas as their TeX).
    public var text: String
    /// The rendered inner HTML (placeholders included).
    public var html: String
    public var id: String
    public var line: Int
}
