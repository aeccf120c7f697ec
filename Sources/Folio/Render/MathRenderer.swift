import Foundation

/// Typesets formulas with KaTeX from Debian's `libjs-katex`.
///
/// When `node` is on the machine every formula of the build is rendered in one node process at
/// build time, so pages show math without running script and TeX errors become warnings at their
/// `.md` line. Without node, pages carry the TeX in `.math` elements and KaTeX renders them in the
/// browser from the copy in `site/assets/katex/`. Either way nothing loads from the network.
public struct MathRenderer: Sendable {
    /// Where KaTeX lives (`katex.min.js`, `katex.min.css`, `fonts/`).
    public var katexDirectory: URL
    /// `node`, if found; nil means math is typeset in the browser.
    public var node: URL?

    public init(katexDirectory: URL = MathRenderer.defaultKaTeXDirectory, node: URL? = MathRenderer.findNode()) {
        self.katexDirectory = katexDirectory
        self.node = node
    }

    /// KaTeX and node as a build's environment names them (`FOLIO_KATEX_DIR`, `FOLIO_NO_NODE`, `PATH`).
    public init(environment: [String: String]) {
        self.init(katexDirectory: Self.katexDirectory(environment), node: Self.findNode(environment))
    }

    public static var defaultKaTeXDirectory: URL { katexDirectory(ProcessInfo.processInfo.environment) }

    static func katexDirectory(_ environment: [String: String]) -> URL {
        URL(fileURLWithPath: environment["FOLIO_KATEX_DIR"] ?? "/usr/share/javascript/katex")
    }

    /// Identifies the KaTeX build, so a KaTeX upgrade re-typesets everything.
    var katexStamp: String {
        FileStamp.of(katexDirectory.appendingPathComponent("katex.js").path)
    }

    /// True when KaTeX is installed where Folio looks.
    public var hasKaTeX: Bool {
        FileManager.default.fileExists(atPath: katexDirectory.appendingPathComponent("katex.min.js").path)
    }

    public static func findNode(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if environment["FOLIO_NO_NODE"] != nil { return nil }
        return Executable.onPath("node", "nodejs", path: environment["PATH"])
    }

    /// Whether pages need KaTeX's script (math not typeset at build time).
    public var rendersInBrowser: Bool { node == nil || !hasKaTeX }

    /// Typeset formulas: HTML for each, and the TeX errors KaTeX reported (index → message).
    public struct Typeset: Sendable {
        public var html: [String: String]
        public var errors: [String: String]

        public init(html: [String: String] = [:], errors: [String: String] = [:]) {
            self.html = html
            self.errors = errors
        }
    }

    /// Key under which a formula's rendering is stored (display and inline differ).
    public static func key(_ span: MathSpan) -> String { (span.display ? "D" : "I") + span.tex }

    /// Where typeset formulas are remembered between builds (nil: no memory).
    public var cacheFile: URL?

    struct CacheEntry: Codable { var html: String; var error: String? }

    /// Renders every distinct formula once; formulas typeset by an earlier build with the same
    /// KaTeX come from the cache file, so a warm build starts no node process.
    public func typeset(_ spans: [MathSpan]) -> Typeset {
        var unique: [MathSpan] = []
        var seen = Set<String>()
        for s in spans where seen.insert(Self.key(s)).inserted { unique.append(s) }
        guard !unique.isEmpty, !rendersInBrowser, let node else {
            return Typeset(html: Dictionary(uniqueKeysWithValues: unique.map { (Self.key($0), Self.browserMarkup($0)) }), errors: [:])
        }
        let stamp = katexStamp
        var memory: [String: CacheEntry] = [:]
        if let cacheFile, let data = try? Data(contentsOf: cacheFile),
           let stored = try? JSONDecoder().decode([String: [String: CacheEntry]].self, from: data) {
            memory = stored[stamp] ?? [:]
        }
        let missing = unique.filter { memory[Self.key($0)] == nil }
        do {
            if !missing.isEmpty {
                let fresh = try runKaTeX(missing, node: node)
                for span in missing {
                    let k = Self.key(span)
                    memory[k] = CacheEntry(html: fresh.html[k] ?? Self.browserMarkup(span), error: fresh.errors[k])
                }
                if let cacheFile, let data = try? JSONEncoder().encode([stamp: memory]) { try? AtomicFile.write(data, to: cacheFile) }
            }
            var result = Typeset(html: [:], errors: [:])
            for span in unique {
                let k = Self.key(span)
                result.html[k] = memory[k]?.html
                result.errors[k] = memory[k]?.error
            }
            return result
        } catch {
            FileHandle.standardError.write(Data("warning: KaTeX under node failed (\(error)); math will be typeset in the browser\n".utf8))
            return Typeset(html: Dictionary(uniqueKeysWithValues: unique.map { (Self.key($0), Self.browserMarkup($0)) }), errors: [:])
        }
    }

    /// The TeX in an element KaTeX's browser script picks up (and readable if script is off).
    public static func browserMarkup(_ span: MathSpan) -> String {
        span.display
            ? "<span class=\"math display\">\\[\(HTML.escape(span.tex))\\]</span>"
            : "<span class=\"math inline\">\\(\(HTML.escape(span.tex))\\)</span>"
    }

    struct Request: Codable { var tex: String; var display: Bool }
    struct Response: Codable { var html: String; var error: String? }

    private func runKaTeX(_ spans: [MathSpan], node: URL) throws -> Typeset {
        let script = """
        const katex = require(process.argv[1]);
        let input = '';
        process.stdin.setEncoding('utf8');
        process.stdin.on('data', c => input += c);
        process.stdin.on('end', () => {
          const out = JSON.parse(input).map(({tex, display}) => {
            try {
              return {html: katex.renderToString(tex, {displayMode: display, throwOnError: true, output: 'htmlAndMathml'})};
            } catch (e) {
              const html = katex.renderToString(tex, {displayMode: display, throwOnError: false});
              return {html, error: String(e.message || e)};
            }
          });
          process.stdout.write(JSON.stringify(out));
        });
        """
        let input = try JSONEncoder().encode(spans.map { Request(tex: $0.tex, display: $0.display) })
        let result = try Subprocess.run(node, arguments: ["-e", script, katexDirectory.appendingPathComponent("katex.js").path], input: input, timeout: 120)
        guard result.status == 0 else {
            throw FolioError(file: "katex", "node exited with \(result.status): \(String(decoding: result.stderr.prefix(500), as: UTF8.self))")
        }
        let responses = try JSONDecoder().decode([Response].self, from: result.stdout)
        var html: [String: String] = [:]
        var errors: [String: String] = [:]
        for (span, response) in zip(spans, responses) {
            let k = Self.key(span)
            html[k] = span.display ? "<span class=\"math display\">\(response.html)</span>" : "<span class=\"math inline\">\(response.html)</span>"
            if let e = response.error { errors[k] = e }
        }
        return Typeset(html: html, errors: errors)
    }
}
