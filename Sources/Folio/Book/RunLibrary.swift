import Foundation

/// The build's runs by notebook, for what one page shows of another: embeds, here, and exported
/// values (`NotebookGraph`). A sweep's sets share a path; the first set stands for the notebook.
public struct RunLibrary: Sendable {
    var runs: [String: ExecutedNotebook] = [:]

    public init() {}

    public init(_ runs: [ExecutedNotebook]) {
        for run in runs where self.runs[Self.key(run.notebook)] == nil { self.runs[Self.key(run.notebook)] = run }
    }

    /// The one spelling of a notebook's file the library is keyed by.
    static func key(_ file: URL) -> String { file.standardizedFileURL.path }
    static func key(_ nb: Notebook) -> String { key(nb.file) }

    /// The file `reference` (as a cell or an embed wrote it) names, relative to `from`'s folder.
    static func resolve(_ reference: String, from: Notebook) -> String {
        if reference.hasPrefix("/") { return key(URL(fileURLWithPath: reference)) }
        return key(from.file.deletingLastPathComponent().appendingPathComponent(reference))
    }

    /// The run and the labelled cell an embed shows; nil when either is missing.
    public func target(of embed: Embed, from nb: Notebook) -> (ExecutedNotebook, Cell)? {
        guard let run = runs[Self.resolve(embed.notebook, from: nb)],
              let cell = run.notebook.cells.first(where: { $0.options.label == embed.label }) else { return nil }
        return (run, cell)
    }

    /// What an embed shows, for the embedding page's key: it is drawn again when this changes.
    func digest(of embed: Embed, from nb: Notebook) -> String {
        guard let (run, cell) = target(of: embed, from: nb), let data = try? JSONEncoder().encode(run.cells.indices.contains(cell.index) ? run.cells[cell.index] : CellResult(status: .skipped)) else { return "missing" }
        return SHA256.hex(String(decoding: data, as: UTF8.self) + "|" + run.notebook.title + "|" + (cell.options.caption ?? ""))
    }
}

/// What a statement's box says of the claims its cells made.
public enum StatementStatus: Equatable, Sendable {
    /// No claims inside it.
    case none
    /// Its cells hold claims but did not run (an earlier cell failed, or execution was off).
    case notRun
    case checked(passed: Int, total: Int)

    init(_ statement: Statement, _ run: ExecutedNotebook) {
        let results = statement.cells.filter { run.cells.indices.contains($0) }.map { run.cells[$0] }
        let claims = results.flatMap { $0.outputs.compactMap(\.claim) }
        if !claims.isEmpty {
            self = .checked(passed: claims.filter(\.passed).count, total: claims.count)
        } else if results.contains(where: { $0.status != .ok }), statement.cells.contains(where: { i in
            run.notebook.cells.indices.contains(i) && SwiftSource.makesClaims(run.notebook.cells[i].code)
        }) {
            self = .notRun
        } else {
            self = .none
        }
    }
}
