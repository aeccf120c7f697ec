import Foundation
import Testing
@testable import Folio

/// The GitHub Flavored Markdown spec's examples (`../shared/conformance/gfm-spec.txt`, read there,
/// never copied in) built as notebooks by `folio build --no-execute --jobs 2`, each page's prose
/// compared with the spec's HTML after both are normalised (`HTMLNormalizer`) and Folio's own
/// additions are taken off (heading ids and anchors, the cell frame around fenced code).
/// cmark-gfm itself, with the same extensions, is run on every example as the control that the
/// comparison is fair.
@Suite struct GFMConformanceTests {
    struct Example {
        var number: Int
        var section: String
        var markdown: String
        var html: String
        /// The GFM extension the example is about (`table`, `autolink`, …), as its fence names it.
        var `extension`: String?
    }

    /// Where Folio means to differ from the spec, each with its reason:
    /// - html: the raw-HTML policy (the guide, "Writing notebooks") shows as text what is not on its
    ///   allowlist (unknown or script-capable elements, processing instructions, declarations,
    ///   CDATA, tags left open) and rebuilds allowed tags without unknown attributes;
    /// - math: `\(…\)` and `\[…\]` in prose are formulas, not escaped brackets;
    /// - autolink: GFM's extended autolinks are always on, so a bare `http://…` or `a@b.c` is a link.
    static let deviations: [Int: String] = [
        120: "html",  // <foo> is not an allowed element
        126: "html", 127: "html", 128: "html",  // a start tag left open at the end of the block
        133: "html",  // <Warning>
        139: "html",  // <pre language="haskell">: the unknown attribute is dropped
        140: "html", 141: "html", 142: "html", 145: "html", 147: "html",  // <script>, <style>
        149: "html", 150: "html", 151: "html",  // processing instruction, DOCTYPE, CDATA blocks
        170: "html",  // <bar>
        308: "math",  // `\(\)` and `\[\\\]` among the escapes are formulas
        500: "html",  // <foo\nbar>
        532: "html", 544: "html",  // <bar attr=…>
        610: "autolink", 614: "autolink", 616: "autolink", 619: "autolink", 620: "autolink",  // bare URLs and addresses
        632: "html", 633: "html", 634: "html",  // <bab>, <c2c>, <b2>
        635: "html",  // <a> keeps no unknown attribute (foo, bam, _boolean, zoop:33)
        642: "html",  // </foo>
        647: "html", 648: "html", 649: "html",  // inline processing instruction, declaration, CDATA
        653: "html",  // <xmp> makes its whole block text (tagfilter alone would escape just the tag)
    ]

    static let specFile = TestSupport.packageRoot.appendingPathComponent("../shared/conformance/gfm-spec.txt").standardizedFileURL

    static func examples() throws -> [Example] {
        let text = try String(contentsOf: specFile, encoding: .utf8)
        let fence = String(repeating: "`", count: 32)
        var examples: [Example] = []
        var section = ""
        var inExample = false, disabled = false, inHTML = false
        var markdown = "", html = ""
        var number = 0
        var extensionName: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !inExample {
                if line.hasPrefix(fence + " example") {
                    inExample = true
                    let tag = line.dropFirst(fence.count + " example".count).trimmingCharacters(in: .whitespaces)
                    disabled = tag == "disabled"
                    extensionName = tag.isEmpty ? nil : tag
                    inHTML = false
                    markdown = ""; html = ""
                    number += 1
                } else if line.hasPrefix("#") {
                    section = line.drop { $0 == "#" || $0 == " " }.description
                }
                continue
            }
            if line == fence {
                inExample = false
                // `disabled` examples are the ones cmark-gfm's own runner skips.
                if !disabled {
                    examples.append(Example(number: number, section: section,
                                            markdown: markdown.replacingOccurrences(of: "→", with: "\t"),
                                            html: html.replacingOccurrences(of: "→", with: "\t"), extension: extensionName))
                }
            } else if line == "." && !inHTML {
                inHTML = true
            } else if inHTML {
                html += line + "\n"
            } else {
                markdown += line + "\n"
            }
        }
        return examples
    }

    /// The article of a built page with Folio's additions taken off.
    static func prose(ofPage html: String) -> String {
        guard let start = html.range(of: "<article>\n"), let end = html.range(of: "</article>", options: .backwards) else { return html }
        var s = String(html[start.upperBound..<end.lowerBound])
        s = s.replacingOccurrences(of: ##"<a class="anchor" href="#[^"]*" aria-label="Link to this section">#</a>"##, with: "", options: .regularExpression)
        s = s.replacingOccurrences(of: #"<(h[1-6]) id="[^"]*">"#, with: "<$1>", options: .regularExpression)
        s = s.replacingOccurrences(of: ##"<header class="title-block">[\s\S]*?</header>\n"##, with: "", options: .regularExpression)
        s = s.replacingOccurrences(of: ##"<nav class="pager"[\s\S]*?</nav>\n?"##, with: "", options: .regularExpression)
        // A top-level fence is a cell: `<div class="cell" …><pre class="cell-code"><code …>CODE</code></pre></div>`.
        s = s.replacingOccurrences(of: ##"<div class="cell" id="cell-[0-9]+" data-line="[0-9]+">\n<pre class="cell-code">(<code[^>]*>[\s\S]*?</code></pre>)\n</div>\n"##,
                                   with: "<pre>$1\n", options: .regularExpression)
        return s
    }

    /// cmark-gfm as its own spec runner runs an example: raw HTML on, and only the extension the
    /// example is about (Folio always has them all on, hence the `autolink` deviations).
    static func cmarkGFM(_ example: Example) throws -> String {
        let extensions = example.extension.map { ["-e", $0] } ?? []
        let r = try Subprocess.run(URL(fileURLWithPath: "/usr/bin/cmark-gfm"), arguments: ["--unsafe"] + extensions,
                                   input: Data(example.markdown.utf8), timeout: 30)
        return String(decoding: r.stdout, as: UTF8.self)
    }

    @Test func specExamplesMatchOutsideTheDocumentedDeviations() throws {
        let examples = try Self.examples()
        #expect(examples.count == 671, "the spec has 673 examples, 2 of them disabled")
        let dir = TestSupport.temporaryDirectory("gfm")
        for e in examples {
            // Front matter first, so an example's own `---` is never read as front matter.
            TestSupport.write("---\ntitle: Example \(e.number)\n---\n" + e.markdown, to: dir.appendingPathComponent("spec/example-\(e.number).md"))
        }
        let build = try TestSupport.runFolio(["build", "spec", "--no-execute", "--jobs", "2", "--out", "site"], in: dir)
        var mismatches: [String] = []
        var stale: [Int] = []
        var cmarkMismatches: [Int] = []
        for e in examples {
            let expected = HTMLNormalizer.normalize(e.html)
            if HTMLNormalizer.normalize(try Self.cmarkGFM(e)) != expected { cmarkMismatches.append(e.number) }
            let page = TestSupport.read(dir.appendingPathComponent("site/example-\(e.number).html"))
            let actual = HTMLNormalizer.normalize(Self.prose(ofPage: page))
            let matches = actual == expected
            if !matches && Self.deviations[e.number] == nil {
                mismatches.append("example \(e.number) (\(e.section)):\n  markdown: \(e.markdown.debugDescription)\n  expected: \(expected.debugDescription)\n  actual:   \(actual.debugDescription)")
            }
            if matches && Self.deviations[e.number] != nil { stale.append(e.number) }
        }
        #expect(cmarkMismatches.isEmpty, "cmark-gfm itself differs after normalisation (the comparison is unfair): \(cmarkMismatches)")
        #expect(mismatches.isEmpty, "\(mismatches.count) examples differ from the spec:\n\(mismatches.prefix(60).joined(separator: "\n"))\nbuild: \(build.output.suffix(2000))")
        #expect(stale.isEmpty, "these examples match now; take them off the deviations list: \(stale)")
    }
}
