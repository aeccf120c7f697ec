import Foundation

/// Values a notebook imports from others (`imported("other.md", "name", as: …)`), taken from the
/// runs of those notebooks before it runs.
enum ImportResolution {
    /// Fills `nb`'s imports with the values `upstream` exported; a problem (a value that is not
    /// there) instead, at the import's line: the notebook does not run.
    static func fill(_ nb: inout Notebook, from upstream: [ExecutedNotebook]) -> Diagnostic? {
        for i in nb.imports.indices {
            let request = nb.imports[i]
            let path = RunLibrary.resolve(request.notebook, from: nb)
            guard let source = upstream.first(where: { RunLibrary.key($0.notebook) == path }) else { continue }
            let exports = source.exports
            if let name = request.name {
                guard let value = exports[name] else {
                    let why = source.failed && exports.isEmpty ? "\(source.notebook.path) failed before exporting anything"
                        : "\(source.notebook.path) exports no value `\(name)`" + (exports.isEmpty ? " (it exports nothing; add `export(\"\(name)\", value)` to it)" : "; it exports \(exports.keys.sorted().map { "`\($0)`" }.joined(separator: ", "))")
                    return Diagnostic(file: nb.path, line: request.line, severity: .error, kind: .source, message: "not run: \(why)")
                }
                nb.imports[i].values = [name: value]
            } else {
                nb.imports[i].values = exports
            }
        }
        return nil
    }
}
