import Foundation

/// What each page (or PDF) of a site was made from, so a build can keep the current site's copy
/// when nothing it shows changed. One file of `.folio/` holds the entries of every site built
/// there, each under its site's folder and page.
struct PageLedger {
    let file: URL
    private(set) var entries: [String: String]

    init(file: URL) {
        self.file = file
        entries = (try? JSONDecoder().decode([String: String].self, from: Data(contentsOf: file))) ?? [:]
    }

    /// The entry of `page` (a path inside the site) of the site at `site`.
    static func key(site: URL, page: String) -> String { site.path + "|" + page }

    subscript(site: URL, page: String) -> String? {
        get { entries[Self.key(site: site, page: page)] }
        set { entries[Self.key(site: site, page: page)] = newValue }
    }

    /// The entries of the other sites alone, before `site`'s are written anew.
    mutating func removeEntries(of site: URL) {
        entries = entries.filter { !$0.key.hasPrefix(site.path + "|") }
    }

    func save() {
        if let data = try? JSONEncoder().encode(entries) { try? AtomicFile.write(data, to: file) }
    }
}
