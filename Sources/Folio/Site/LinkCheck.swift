import Foundation

/// How much of a site `folio check --links` checks.
public enum LinkCheckMode: String, Sendable, CaseIterable {
    /// Links inside the site and `http(s)` links on the web.
    case all
    /// Links inside the site only: nothing goes over the network.
    case `internal`
}

/// A link of a built page that does not hold: a page, file or `#id` the site lacks, a link that
/// leaves the site, or a web address that does not answer well.
struct LinkProblem: Equatable, Sendable {
    /// The page (relative to the site root) that carries the link.
    var page: String
    /// The link as the page carries it.
    var url: String
    var severity: Diagnostic.Severity
    var message: String
}

/// Every link and image of a built site checked against the site itself: pages, files, assets,
/// PDFs, embeds and `#ids` (`internal`), then, unless asked not to, the web addresses it links to
/// (`ExternalLinks`). Reads the site as a browser would: `href` and `src` of every element, with
/// character references decoded, resolved against the page's own address.
struct LinkCheck {
    let site: URL

    /// What one page links to and which `#ids` it has.
    struct PageLinks {
        var links: [String] = []
        var ids: Set<String> = []
    }

    /// Every file of the site, relative to its root, and the links and ids of its HTML pages.
    func read() -> (files: Set<String>, pages: [String: PageLinks]) {
        var files: Set<String> = []
        var pages: [String: PageLinks] = [:]
        let root = site.standardizedFileURL.path
        let walker = FileManager.default.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDir), !isDir.boolValue else { continue }
            files.insert(relative)
            guard relative.hasSuffix(".html"), let data = FileManager.default.contents(atPath: root + "/" + relative) else { continue }
            pages[relative] = Self.links(in: [UInt8](data))
        }
        return (files, pages)
    }

    /// The `href`/`src` values and the ids of one page.
    static func links(in html: [UInt8]) -> PageLinks {
        var page = PageLinks()
        for token in HTMLTokenizer.tokenize(html) ?? [] {
            guard case .startTag(let tag) = token else { continue }
            var seen: Set<String> = []
            for attribute in tag.attributes where seen.insert(attribute.name).inserted {
                guard let raw = attribute.rawValue else { continue }
                let value = String(decoding: CharacterReference.decode(raw), as: UTF8.self)
                switch attribute.name {
                case "href", "src", "xlink:href": page.links.append(value)
                case "id": page.ids.insert(value)
                case "name" where tag.name == "a": page.ids.insert(value)
                default: break
                }
            }
        }
        return page
    }

    /// Whether a link is a web address (checked by `ExternalLinks`), and which.
    static func webAddress(_ url: String) -> String? {
        let lower = url.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return url }
        if url.hasPrefix("//") { return "https:" + url }
        return nil
    }

    /// Links the check leaves alone: other schemes (mailto:, tel:, data:) and empty ones.
    static func isOtherScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
            && !url[..<colon].contains("/")
    }

    /// The problems of the site's internal links, and its web addresses with the pages that
    /// carry them (in page order, each address once per page).
    func checkInternal() -> (problems: [LinkProblem], web: [(url: String, pages: [String])]) {
        let (files, pages) = read()
        var problems: [LinkProblem] = []
        var web: [String: [String]] = [:]
        var webOrder: [String] = []
        for page in pages.keys.sorted() {
            for url in pages[page]!.links {
                if let address = Self.webAddress(url) {
                    if web[address] == nil { webOrder.append(address) }
                    if web[address]?.last != page { web[address, default: []].append(page) }
                    continue
                }
                if url.isEmpty || Self.isOtherScheme(url) { continue }
                if let why = problem(url, on: page, files: files, pages: pages) {
                    problems.append(LinkProblem(page: page, url: url, severity: .error, message: why))
                }
            }
        }
        return (problems, webOrder.map { ($0, web[$0]!) })
    }

    /// Why `url` on `page` does not hold, or nil.
    func problem(_ url: String, on page: String, files: Set<String>, pages: [String: PageLinks]) -> String? {
        var rest = Substring(url)
        var fragment: String?
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        let path = String(rest).removingPercentEncoding ?? String(rest)
        var target: String
        if path.isEmpty {
            target = page
        } else {
            var parts = path.hasPrefix("/") ? [] : page.split(separator: "/").dropLast().map(String.init)
            for part in path.split(separator: "/", omittingEmptySubsequences: true) {
                if part == "." { continue }
                if part == ".." {
                    guard !parts.isEmpty else { return "it points outside the site" }
                    parts.removeLast()
                } else {
                    parts.append(String(part))
                }
            }
            target = parts.joined(separator: "/")
            if path.hasSuffix("/") || target.isEmpty || (!files.contains(target) && files.contains(target + "/index.html")) {
                target += target.isEmpty ? "index.html" : (target.hasSuffix("/") ? "index.html" : "/index.html")
            }
            guard files.contains(target) else { return "the site has no page or file `\(target)`" }
        }
        guard let fragment, !fragment.isEmpty, let links = pages[target] else { return nil }
        let id = fragment.removingPercentEncoding ?? fragment
        guard links.ids.contains(id) else { return "`\(target)` has no element with id `\(id)`" }
        return nil
    }
}
