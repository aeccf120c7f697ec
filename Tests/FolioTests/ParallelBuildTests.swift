import Foundation
import Testing
@testable import Folio

/// Builds with several jobs must give the same bytes as one job would: cmark-gfm keeps a global
/// table that concurrent parses used to corrupt (autolinks and strikethrough went missing).
@Suite struct ParallelBuildTests {
    @Test func manyPagesInParallelAreByteIdenticalEveryTime() throws {
        let dir = TestSupport.temporaryDirectory("parallel")
        let count = 300
        for n in 0..<count {
            TestSupport.write("Visit https://example.com/a\(n) and www.example.org ~~gone~~ now.\n\nMore text with ftp://foo.bar.baz and a footnote[^1].\n\n[^1]: The note.\n",
                              to: dir.appendingPathComponent("notebooks/p\(n).md"))
        }
        var first: [Data] = []
        for run in 0..<4 {
            let r = try TestSupport.runFolio(["build", "--no-execute", "--jobs", "2", "--out", "site\(run)"], in: dir)
            #expect(r.status == 0, "\(r.output)")
            let pages = (0..<count).map { (try? Data(contentsOf: dir.appendingPathComponent("site\(run)/p\($0).html"))) ?? Data() }
            for (n, page) in pages.enumerated() {
                let html = String(decoding: page, as: UTF8.self)
                let links = ["href=\"https://example.com/a\(n)\"", "href=\"http://www.example.org\"", "href=\"ftp://foo.bar.baz\""]
                #expect(links.allSatisfy(html.contains) && html.contains("<del>gone</del>"),
                        "run \(run), page \(n) lost an autolink or its strikethrough")
            }
            if run == 0 { first = pages } else {
                let differing = (0..<count).filter { pages[$0] != first[$0] }
                #expect(differing.isEmpty, "run \(run): \(differing.count) pages differ from the first run: \(differing.prefix(10))")
            }
        }
    }
}
