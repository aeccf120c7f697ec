import Foundation
import Testing
@testable import Folio

/// A project's theme replaces any fragment of the page by a Mustache template of its name.
@Suite struct ThemeTests {
    @Test func aProjectThemeOverridesTheFigureCaptionAndTheCrossReference() throws {
        let dir = TestSupport.temporaryDirectory("theme-fragments")
        TestSupport.write("title: Themed\nnotebooks: notebooks\ntheme: theme\n", to: dir.appendingPathComponent("folio.yml"))
        TestSupport.write("""
            # Decay

            As @fig-decay shows, it falls.

            ```swift
            //| label: fig-decay
            //| caption: Half-lives & decay
            print("decay")
            ```

            ```swift
            //| caption: An unnumbered figure
            print("plain")
            ```
            """, to: dir.appendingPathComponent("notebooks/decay.md"))
        TestSupport.write("<figcaption class=\"themed\">{{number}} · {{caption}}</figcaption>\n",
                          to: dir.appendingPathComponent("theme/figure-caption.mustache"))
        TestSupport.write("<a class=\"themed-ref\" href=\"{{href}}\">see {{text}}</a>",
                          to: dir.appendingPathComponent("theme/cross-reference.mustache"))
        let r = try TestSupport.runFolio(["build", "--no-execute"], in: dir)
        #expect(r.status == 0, "\(r.output)")
        #expect(!r.output.contains("not a theme file"), "\(r.output)")
        let page = TestSupport.read(dir.appendingPathComponent("site/decay.html"))
        // The template's caption, its values escaped; the default caption's markup is gone.
        #expect(page.contains("<figcaption class=\"themed\">Figure 1 · Half-lives &amp; decay</figcaption>"))
        #expect(page.contains("<figcaption class=\"themed\"> · An unnumbered figure</figcaption>"))
        #expect(!page.contains("<figcaption><strong>"))
        // The figure around it is still the default's, with its id for the reference.
        #expect(page.contains("<figure id=\"fig-decay\">"))
        #expect(page.contains("<a class=\"themed-ref\" href=\"#fig-decay\">see Figure 1</a>"))

        // Without the theme the default markup comes back.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("theme/figure-caption.mustache"))
        #expect(try TestSupport.runFolio(["build", "--no-execute"], in: dir).status == 0)
        let plain = TestSupport.read(dir.appendingPathComponent("site/decay.html"))
        #expect(plain.contains("<figcaption><strong>Figure 1</strong>: Half-lives &amp; decay</figcaption>"))
    }
}
