import Foundation
import FolioWire

extension Figure: NotebookDisplayable {
    public var notebookDisplay: DisplayOutput { .svg(svg) }
}

extension Panels: NotebookDisplayable {
    public var notebookDisplay: DisplayOutput { .svg(svg) }
}

extension Table: NotebookDisplayable {
    public var notebookDisplay: DisplayOutput { .html(html) }
}

extension Vector: NotebookDisplayable {
    public var notebookDisplay: DisplayOutput { .text("Vector(\(count)) " + ArrayFormatter.format(elements)) }
}

extension Matrix: NotebookDisplayable {
    /// A table of the entries, elided in the middle like numpy when large.
    public var notebookDisplay: DisplayOutput {
        let rowIdx = ArrayFormatter.items(rows), colIdx = ArrayFormatter.items(cols)
        var s = "<table class=\"folio-matrix\"><caption>\(rows)×\(cols) matrix</caption><tbody>"
        for r in rowIdx {
            s += "<tr>"
            for c in colIdx {
                if let r, let c {
                    s += "<td style=\"text-align:right\">\(ArrayFormatter.number(self[r, c]))</td>"
                } else {
                    s += "<td style=\"text-align:center\">\(r == nil ? "⋮" : "…")</td>"
                }
            }
            s += "</tr>"
        }
        return .html(s + "</tbody></table>")
    }
}

/// A figure's warnings under it: how many points had to be left out, and why.
func displayFigureWarnings(_ warnings: [String]) {
    for w in warnings { Channel.send(.text("warning: \(w)\n")) }
}
