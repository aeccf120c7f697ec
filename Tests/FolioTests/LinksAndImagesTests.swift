import Foundation
import Testing
@testable import Folio

/// Link destinations are never math; `/`-rooted image URLs are URLs; containment is judged
/// against the folder being built, never the working directory; one bad image never stops the
/// other pages.
@Suite struct LinksAndImagesTests {
    func prose(_ markdown: String) throws -> String {
        let nb = try NotebookParser.parse(text: markdown, path: "n.md", relativePath: "n.md")
        return nb.blocks.compactMap { if case .prose(let h) = $0 { return h } else { return nil } }.joined()
    }

    @Test func mathDelimitersInLinkDestinationsStayURLs() throws {
        #expect(try prose("[link](\\(foo\\))\n").contains("<a href=\"(foo)\">link</a>"))
        #expect(try prose("[a](http://x.org/$a$b)\n").contains("<a href=\"http://x.org/$a$b\">a</a>"))
        #expect(try prose("<http://x.org/$a$b>\n").contains("<a href=\"http://x.org/$a$b\">http://x.org/$a$b</a>"))
        #expect(try prose("[r] and [s][r]\n\n[r]: http://x.org/$a$b\n").contains("<a href=\"http://x.org/$a$b\">r</a>"))
        #expect(try prose("![i](img/$x$.png)\n").contains("src=\"img/$x$.png\""))
        // Math in the link's text stays math; an escape in the destination is decoded as cmark does.
        let mixed = try prose("[$x$](http://x.org/\\$y\\$?q=$z$&amp;w)\n")
        #expect(mixed.contains("href=\"http://x.org/$y$?q=$z$&amp;w\""), "\(mixed)")
        #expect(mixed.contains(">\u{E000}M0\u{E001}</a>"))
        let nb = try NotebookParser.parse(text: "See [the figure](https://e.org/@fig-a).\n", path: "n.md", relativePath: "n.md")
        #expect(nb.warnings.isEmpty, "a reference inside a URL is not a reference: \(nb.warnings)")
    }

    @Test func rootedAndExternalImagesAreLeftAlone() throws {
        let nb = try NotebookParser.parse(text: "![foo](/url \"title\")\n\n![b][r]\n\n[r]: /images/b.png\n\n![c](https://e.org/c.png)\n", path: "n.md", relativePath: "n.md")
        #expect(nb.images.isEmpty && nb.warnings.isEmpty, "\(nb.warnings)")
    }

    @Test func aFolderOutsideTheWorkingDirectoryBuildsWithItsImages() throws {
        let drafts = TestSupport.temporaryDirectory("drafts")
        TestSupport.write("# A\n\n![a figure](missing.png) and ![b](figures/b.png)\n", to: drafts.appendingPathComponent("a.md"))
        TestSupport.write("# B\n\nPlain prose.\n", to: drafts.appendingPathComponent("b.md"))
        TestSupport.write("# C\n\n![shared](../figures/b.png)\n", to: drafts.appendingPathComponent("sub/c.md"))
        TestSupport.write("PNG", to: drafts.appendingPathComponent("figures/b.png"))
        let elsewhere = TestSupport.temporaryDirectory("cwd")
        let r = try TestSupport.runFolio(["build", drafts.path, "--no-execute", "--out", "site"], in: elsewhere)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("image `missing.png` does not exist"))
        #expect(r.output.contains("3 notebooks") && !r.output.contains("failed"), "\(r.output)")
        for page in ["a.html", "b.html", "sub/c.html", "figures/b.png"] {
            #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("site/" + page).path), "\(page) missing")
        }
    }

    @Test func anImageOutsideTheFolderFailsItsNotebookOnly() throws {
        let dir = TestSupport.temporaryDirectory("outside")
        TestSupport.write("secret", to: dir.appendingPathComponent("secret.png"))
        TestSupport.write("# A\n\ntext\n\n![x](../secret.png)\n", to: dir.appendingPathComponent("notebooks/a.md"))
        TestSupport.write("# B\n\nPlain.\n", to: dir.appendingPathComponent("notebooks/b.md"))
        let r = try TestSupport.runFolio(["build", "--no-execute"], in: dir)
        #expect(r.status == 1)
        #expect(r.output.contains("notebooks/a.md:5: error: image `../secret.png` is outside the folder being built"), "\(r.output)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/b.html").path))
        #expect(TestSupport.read(dir.appendingPathComponent("site/a.html")).contains("is outside the folder being built"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/secret.png").path))
    }

    @Test func fencedCodeHasOneFormEverywhere() throws {
        let html = try prose("- item\n\n  ```swift\n  let x = 1\n  ```\n\n> ```python\n> print(1)\n> ```\n")
        #expect(html.contains("<pre><code class=\"language-swift\">") && html.contains("<pre><code class=\"language-python\">"))
        #expect(!html.contains("<pre lang="))
        let nb = try NotebookParser.parse(text: "- item\n\n  ```swift\n  let x = 1\n  ```\n", path: "n.md", relativePath: "n.md")
        let page = PageRenderer(context: SiteContext(entries: [], mathInBrowser: true), math: MathRenderer.Typeset()).render(.unexecuted(nb)).html
        #expect(page.contains("<pre><code class=\"language-swift\"><span class=\"hl-k\">let</span>"), "nested Swift is highlighted like a cell")
    }
}
