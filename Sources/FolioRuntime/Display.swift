import Foundation
import FolioWire

/// How a value looks on the page. The renderer shows the richest form it is given.
public enum DisplayOutput: Sendable {
    /// Preformatted text.
    case text(String)
    /// An HTML fragment (tables, formatted results).
    case html(String)
    /// A standalone `<svg>` element (plots).
    case svg(String)
}

/// Types that know how to show themselves in a notebook (plots, tables, matrices).
///
/// Everything else is shown as text: `String(describing:)`, or quoted for strings, as a REPL would.
public protocol NotebookDisplayable {
    var notebookDisplay: DisplayOutput { get }
}

/// Shows a value under the current cell, now (in order with printed text).
public func display(_ value: Any) {
    if let d = value as? NotebookDisplayable {
        switch d.notebookDisplay {
        case .text(let t): Channel.send(.value(t))
        case .html(let h): Channel.send(.html(h))
        case .svg(let s): Channel.send(.svg(s))
        }
        if let f = value as? Figure { displayFigureWarnings(f.warnings) }
        if let p = value as? Panels { displayFigureWarnings(p.warnings) }
        return
    }
    if let s = value as? String {
        Channel.send(.value(String(reflecting: s)))
    } else {
        Channel.send(.value(String(describing: value)))
    }
}

/// Records a named number: shown under the cell, and in a sweep's summary page plotted against
/// the swept parameters (`record("noise norm", norm)`).
public func record(_ name: String, _ value: Double) {
    Channel.send(.recorded(name: name, value: value))
}
