import SwiftSyntax

/// A value a notebook takes from another, as a cell asks for it:
/// `imported("gauss-newton.md", "jacobian", as: Matrix.self)`. The parser finds each call (the
/// build must know what runs first, before anything runs); the build fills in `values` from the
/// other notebook's run, and they are part of this notebook's cache key, so a changed upstream
/// value re-runs exactly the notebooks that import it.
public struct ImportedValue: Codable, Equatable, Sendable {
    /// As written, relative to the importing notebook's folder.
    public var notebook: String
    /// The value's name; nil when the cell computes it (then every value the notebook exports counts).
    public var name: String?
    /// The `.md` line of the call.
    public var line: Int
    /// Name → the exported value's JSON, as the other notebook's run left it.
    public var values: [String: String] = [:]

    /// The `imported(…)` calls of `cells`. A notebook argument that is not a string literal
    /// cannot be known before running: a warning says so, and that call gets no value.
    static func requests(in cells: [Cell], file: String, warnings: inout [Diagnostic]) -> [ImportedValue] {
        var found: [ImportedValue] = []
        for cell in cells where cell.isExecutable && cell.code.contains("imported") {
            let tree = SwiftSource.parse(cell.code)
            let converter = SourceLocationConverter(fileName: file, tree: tree)
            let finder = CallFinder(viewMode: .sourceAccurate)
            finder.walk(tree)
            for call in finder.calls {
                let line = cell.codeLine + call.position.line(converter) - 1
                let args = Array(call.arguments)
                guard args.count >= 2, args[0].label == nil, let notebook = Self.literal(args[0].expression) else {
                    warnings.append(Diagnostic(file: file, line: line, severity: .warning,
                                               message: "`imported` needs the notebook as a string literal (\"other.md\"), so the build knows to run that notebook first"))
                    continue
                }
                found.append(ImportedValue(notebook: notebook, name: Self.literal(args[1].expression), line: line))
            }
        }
        return found
    }

    /// The text of a string literal without interpolation.
    static func literal(_ e: ExprSyntax) -> String? {
        guard let s = e.as(StringLiteralExprSyntax.self) else { return nil }
        var text = ""
        for segment in s.segments {
            guard let part = segment.as(StringSegmentSyntax.self) else { return nil }
            text += part.content.text
        }
        return text
    }

    final class CallFinder: SyntaxVisitor {
        var calls: [FunctionCallExprSyntax] = []
        override func visit(_ node: FunctionCallExprSyntax) -> SyntaxVisitorContinueKind {
            if let callee = node.calledExpression.as(DeclReferenceExprSyntax.self), callee.baseName.text == "imported" {
                calls.append(node)
            }
            return .visitChildren
        }
    }
}

extension AbsolutePosition {
    func line(_ converter: SourceLocationConverter) -> Int { converter.location(for: self).line }
}
