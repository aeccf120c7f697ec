import Foundation

/// One nbformat 4.5 notebook (the `.ipynb` GitHub, nbviewer, Colab and JupyterLab show) per
/// exported notebook: its prose in Markdown cells, its cells as code cells with the outputs the
/// build gave them, execution counts in order. Keys are sorted and cell ids derived from the
/// position, so the same build writes the same bytes.
enum JupyterExport {
    static func notebook(_ nb: ExportedNotebook, swiftVersion: String?) -> Data {
        var cells: [[String: Any]] = []
        var count = 0
        for (i, block) in nb.blocks.enumerated() {
            let id = "cell-\(i + 1)"
            switch block {
            case .markdown(let text):
                cells.append(["cell_type": "markdown", "id": id, "metadata": [String: Any](), "source": lines(text)])
            case .cell(let cell) where cell.language != "swift" && cell.code != nil:
                // Not Swift: shown as the page shows it, code in the prose.
                let fence = ProseMarkdown.fenced(cell.code ?? "", language: cell.language)
                cells.append(["cell_type": "markdown", "id": id, "metadata": [String: Any](), "source": lines(fence)])
            case .cell(let cell):
                var executionCount: Any = NSNull()
                if cell.ran { count += 1; executionCount = count }
                var source = cell.code ?? ""
                if cell.code == nil, let from = cell.source { source = "// Shown " + from.replacingOccurrences(of: "\\", with: "") }
                var outputs = cell.outputs.compactMap { output($0, executionCount: executionCount) }
                if let caption = cell.caption {
                    outputs.append(["output_type": "display_data", "metadata": [String: Any](),
                                    "data": ["text/markdown": lines(caption), "text/plain": lines(plain(caption))]])
                }
                var metadata: [String: Any] = [:]
                if let label = cell.label { metadata["folio"] = ["label": label] }
                if cell.code == nil { metadata["jupyter"] = ["source_hidden": true] }
                cells.append(["cell_type": "code", "id": id, "metadata": metadata, "source": lines(source),
                              "execution_count": executionCount, "outputs": outputs])
            }
        }
        var languageInfo: [String: Any] = ["name": "swift", "file_extension": ".swift", "mimetype": "text/x-swift"]
        if let swiftVersion { languageInfo["version"] = swiftVersion }
        let document: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 5,
            "metadata": [
                "kernelspec": ["name": "swift", "display_name": "Swift", "language": "swift"],
                "language_info": languageInfo,
                "title": nb.title,
                "folio": ["version": FolioVersion.string, "source": nb.path],
            ] as [String: Any],
            "cells": cells,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return data + Data("\n".utf8)
    }

    /// An output as nbformat has it: printed text is a stream, a shown value a result, a figure
    /// and a table display data (with a plain-text fallback), a failed step an error.
    static func output(_ o: CellOutput, executionCount: Any) -> [String: Any]? {
        switch o {
        case .text(let text):
            return ["output_type": "stream", "name": "stdout", "text": lines(text)]
        case .value(let text):
            return ["output_type": "execute_result", "execution_count": executionCount, "metadata": [String: Any](),
                    "data": ["text/plain": lines(text)]]
        case .svg(let svg):
            return ["output_type": "display_data", "metadata": [String: Any](),
                    "data": ["image/svg+xml": lines(svg), "text/plain": ["[figure]"]]]
        case .html(let html):
            return ["output_type": "display_data", "metadata": [String: Any](),
                    "data": ["text/html": lines(html), "text/plain": lines(HTML.plainText(html))]]
        case .claim(let claim):
            let status = claim.passed ? "pass" : "fail"
            return ["output_type": "display_data", "metadata": ["folio": ["claim": status, "line": claim.line]],
                    "data": ["text/html": ["<p class=\"claim \(status)\">\(HTML.escape(claim.exportedText))</p>"],
                             "text/plain": [claim.exportedText]]]
        case .error(let message, _):
            let first = message.split(separator: "\n").first.map(String.init) ?? message
            return ["output_type": "error", "ename": "error", "evalue": first, "traceback": message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)]
        case .recorded, .exported:
            return nil
        }
    }

    /// nbformat's multiline strings: a list of lines, each but the last ending in `\n`.
    static func lines(_ text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let newline = rest.firstIndex(of: "\n") {
            out.append(String(rest[...newline]))
            rest = rest[rest.index(after: newline)...]
        }
        if !rest.isEmpty { out.append(String(rest)) }
        return out
    }

    /// Markdown's text without its emphasis and escapes (a caption's plain-text fallback).
    static func plain(_ markdown: String) -> String {
        var out = ""
        var escaped = false
        for c in markdown {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else if c != "*" { out.append(c) }
        }
        return out
    }
}
