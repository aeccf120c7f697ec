import Foundation

/// `folio init [DIR]`: a project that builds at once — `folio.yml` with every key (the optional
/// ones commented out), a notebook, one shared helper in `swift/`, and a `.gitignore`.
public enum ProjectTemplate {
    /// Creates the project in `root` (made if missing) and returns the files it wrote, named
    /// below `dir` (the folder as the user named it).
    public static func create(in dir: String, root: URL) throws -> [String] {
        let root = root.standardizedFileURL
        let config = root.appendingPathComponent(ProjectFile.name)
        guard !FileManager.default.fileExists(atPath: config.path) else {
            throw FolioError(file: (dir as NSString).appendingPathComponent(ProjectFile.name), "already exists: this is a project already")
        }
        let name = root.lastPathComponent.isEmpty ? "notes" : root.lastPathComponent
        let files: [(String, String)] = [
            (ProjectFile.name, projectFile(title: name.replacingOccurrences(of: "-", with: " ").capitalized)),
            ("notebooks/first-notebook.md", NotebookTemplate.text(title: "first-notebook") + sharedCodeSection),
            ("swift/Sums.swift", helper),
            (".gitignore", "site/\n.folio/\n.build/\n"),
        ]
        var written: [String] = []
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            // An existing .gitignore or notebook is the user's: keep it.
            if FileManager.default.fileExists(atPath: url.path) { continue }
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(text, to: url)
            written.append((dir as NSString).appendingPathComponent(path))
        }
        return written
    }

    static func projectFile(title: String) -> String {
        """
        # folio.yml: this project's settings. Every key is optional; `folio reference` writes the
        # guide's page on each key. `folio build` finds this file from any folder below it.

        title: \(title)
        description: What these notebooks find, in one sentence.
        author: Your Name
        # base-url: https://example.org/notes/   # the site's address: pages' absolute links, sitemap.xml

        # The notebooks: a folder (its .md files, by name), or an ordered list, in sections or not.
        # The navigation (and a book made from the project) follows the list.
        notebooks: notebooks
        # notebooks:
        #   - notebooks/first-notebook.md
        #   - section: Results
        #     notebooks:
        #       - notebooks/results.md

        # Front matter every notebook starts from; a notebook's own front matter overrides it.
        defaults:
          timeout: 300            # seconds for a whole notebook
          # swift: 5              # Swift language mode for cells: 5 or 6
          # optimize: false       # compile cells with -O
          # imports: [Numerics]   # modules every notebook imports
          # bibliography: refs.bib  # BibTeX, relative to this file
          # tags: [draft]

        # Parameter values for the notebooks that declare them under `params:` (`-P` wins).
        # params:
        #   d: 64

        # Named overlays: `folio build --profile quick` applies one over the values above.
        profiles:
          quick:
            defaults:
              timeout: 60
            # params: {d: 16}

        # cache: http://cache.example:8080/folio   # a shared execution cache (Bazel's HTTP protocol)
        # freeze: auto            # show notebooks from their committed frozen outputs (`folio freeze`) when current
        # number-sections: true   # number notebooks as chapters in this order: "Figure 3.2", "Section 3.1"
        # paper: a4               # PDFs (`folio build --pdf`, `folio pdf`): a4 or letter
        # docx: {reference: styles.docx}   # `folio export --to docx` takes its styles from this Word document
        # theme: theme            # a folder whose files replace parts of the default theme
        # sources: swift          # shared Swift code, one module every notebook imports (default: swift/)

        # SwiftPM packages, written as in Package.swift; built once, importable from any cell.
        # Their resolved versions are pinned in folio.lock: commit it.
        # packages:
        #   - url: https://github.com/apple/swift-numerics
        #     from: 1.1.1
        #     products: [Numerics]

        """
    }

    static let helper = """
        // Shared code: every notebook of the project imports this folder as one module, so a
        // helper is written once. Editing it re-runs the notebooks that use shared code.

        /// The sum of the first `n` odd numbers, added up one by one.
        func sumOfOdds(_ n: Int) -> Int {
            guard n > 0 else { return 0 }
            return (1...n).map { 2 * $0 - 1 }.reduce(0, +)
        }

        """

    static let sharedCodeSection = """

        ## Shared code

        `sumOfOdds` comes from `swift/Sums.swift`: code shared by every notebook of the project.

        ```swift
        check(sumOfOdds(1000) == 1000 * 1000, "the shared helper agrees: the first 1000 odd numbers sum to 1000²")
        ```

        """
}
