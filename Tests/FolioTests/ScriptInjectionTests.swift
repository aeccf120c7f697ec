import Foundation
import Testing
@testable import Folio
@testable import FolioFuzzTargets

/// Raw HTML that tries to run script, opened in headless Chromium: each variant's handler would
/// mark `<body>` with its own attribute, so a dumped DOM without any mark means nothing ran.
@Suite(.serialized) struct ScriptInjectionTests {
    /// Each variant fires on load if it reaches the page as markup (`ontoggle` on an open
    /// `<details>`, `onerror` on a broken image), or is a `javascript:` link.
    static func variants() -> [(name: String, markdown: String)] {
        func mark(_ n: Int) -> String { "document.body.setAttribute('data-pwned-\(n)','yes')" }
        return [
            ("the reported form: bare = then a line break", "<details =\nontoggle=\"\(mark(0))\" open>\n\nH\n</details>"),
            ("onmouseover after a bare =", "<details =\nonmouseover=\"\(mark(1))\" open>\n\nH\n</details>"),
            ("tab before the attribute", "<details =\tontoggle=\"\(mark(2))\" open>\n\nH\n</details>"),
            ("form feed before the attribute", "<details =\u{0C}ontoggle=\"\(mark(3))\" open>\n\nH\n</details>"),
            ("slash before the name", "<details/ontoggle=\"\(mark(4))\" open>\n\nH\n</details>"),
            ("= before the name", "<details open =ontoggle=\"\(mark(5))\">\n\nH\n</details>"),
            ("upper case", "<DETAILS OPEN ONTOGGLE=\"\(mark(6))\">\n\nH\n</DETAILS>"),
            ("image with the handler on the next line", "<img src=x\nonerror=\"\(mark(7))\">"),
            ("inline image", "Text <img src=x onerror=\"\(mark(8))\"> here."),
            ("comment closed early by --!>", "<!-- --!><img src=x onerror=\"\(mark(9))\"> -->"),
            ("end tag whose attribute hides a tag", "<div>\n</div title=\"><img src=x onerror=\(mark(10))>\">"),
            ("unterminated attribute value", "<div title=\"\n\n<img src=x onerror=\"\(mark(11))\">"),
            ("entity-encoded javascript: (hex)", "<a href=\"jav&#x61;script:\(mark(12))\">link</a>"),
            ("entity-encoded javascript: (named tab)", "<a href=\"java&Tab;script:\(mark(13))\">link</a>"),
            ("entity-encoded javascript: (no semicolon)", "<a href=\"&#106avascript:\(mark(14))\">link</a>"),
            ("entity-encoded colon", "<a href=\"javascript&colon;\(mark(15))\">link</a>"),
            ("srcset candidate", "<img srcset=\"a.png 1x, javascript:\(mark(16)) 2x\">"),
        ]
    }

    /// The `<body …>` start tag of a dumped DOM, where a handler that ran leaves its mark (the
    /// page's text shows the refused variants, marks and all, so the whole DOM would not do).
    static func bodyTag(_ dom: String) -> String {
        guard let start = dom.range(of: "<body") else { return "" }
        return String(dom[start.lowerBound...].prefix { $0 != ">" })
    }

    /// The first element in a serialised DOM with an event handler or a `javascript:` URL (text
    /// is serialised with `&lt;`, so a `<` always opens an element).
    static func elementWithHandler(_ dom: String) -> String? {
        let pattern = #"<[a-zA-Z][^>]*?[\s/](on[a-z]+|=on[a-z]+)=|<[a-zA-Z][^>]*?(href|src)="javascript"#
        guard let range = dom.range(of: pattern, options: .regularExpression) else { return nil }
        return String(dom[range])
    }

    @Test func rawHTMLVariantsRunNothingInChromium() throws {
        let dir = TestSupport.temporaryDirectory("inject")
        let body = Self.variants().map { "## \($0.name)\n\n\($0.markdown)\n" }.joined(separator: "\n")
        TestSupport.write("# Injection\n\n" + body + "\nThe end.\n", to: dir.appendingPathComponent("notebooks/x.md"))
        let r = try TestSupport.runFolio(["build"], in: dir)
        #expect(r.status == 0, "\(r.output)")
        let page = dir.appendingPathComponent("site/x.html")
        let html = TestSupport.read(page)
        let article = html.components(separatedBy: "<article>").last?.components(separatedBy: "</article>").first ?? ""
        // The filter itself: no variant reaches the page as markup with its handler or URL …
        #expect(ScriptFinder.firstScript(in: Array(article.utf8)) == nil, "\(article)")
        #expect(!article.lowercased().contains("<details =") && !article.contains("href=\"jav"))
        // … and the browser agrees: every section is there, no handler ran, no element carries one.
        let dom = try BrowserTests.dumpDOM(page)
        #expect(dom.contains("The end."), "the page did not load: \(dom.prefix(500))")
        #expect(!Self.bodyTag(dom).contains("data-pwned"), "a handler ran: \(Self.bodyTag(dom))")
        #expect(Self.elementWithHandler(dom) == nil, "an element with a handler or javascript: URL reached the DOM")
        #expect(r.output.isEmpty || !r.output.contains("error:"), "\(r.output)")
    }

    /// Defence in depth: a page whose prose somehow carried a handler (a future filter bug,
    /// simulated by editing the built page) still runs nothing, because of the page's policy;
    /// the same page without the policy does run it, so the check can fail.
    @Test func contentSecurityPolicyStopsHandlersTheFilterMissed() throws {
        let dir = TestSupport.temporaryDirectory("csp")
        TestSupport.write("# Policy\n\nSLOT\n", to: dir.appendingPathComponent("notebooks/p.md"))
        #expect(try TestSupport.runFolio(["build"], in: dir).status == 0)
        let page = dir.appendingPathComponent("site/p.html")
        let injected = "<details open ontoggle=\"document.body.setAttribute('data-pwned','yes')\">x</details>"
        let built = TestSupport.read(page)
        #expect(built.contains("http-equiv=\"Content-Security-Policy\""))
        TestSupport.write(built.replacingOccurrences(of: "SLOT", with: injected), to: page)
        let protected = try BrowserTests.dumpDOM(page)
        #expect(Self.elementWithHandler(protected) != nil, "the simulated filter bug is not in the page")
        #expect(!Self.bodyTag(protected).contains("data-pwned"), "the policy did not stop an inline handler")

        let unprotected = dir.appendingPathComponent("site/unprotected.html")
        let withoutPolicy = built.replacingOccurrences(of: "SLOT", with: injected)
            .replacingOccurrences(of: "<meta http-equiv=\"Content-Security-Policy\" content=\"\(Theme.contentSecurityPolicy)\">", with: "")
        TestSupport.write(withoutPolicy, to: unprotected)
        #expect(Self.bodyTag(try BrowserTests.dumpDOM(unprotected)).contains("data-pwned=\"yes\""), "the control page should run the handler")
    }

    @Test func rebuiltTagsKeepWhatIsAllowed() throws {
        func sanitized(_ html: String) -> String? { try? RawHTMLPolicy.sanitize(html).get() }
        #expect(sanitized("<DIV CLASS='a \"b\"' data-x=1 bogus>") == "<div class=\"a &quot;b&quot;\" data-x=\"1\">")
        #expect(sanitized("<img src=a.png alt=\"&amp; x\" width=3/>") == "<img src=\"a.png\" alt=\"&amp; x\" width=\"3/\">")
        #expect(sanitized("<a href=x href=y>") == "<a href=\"x\">", "the browser keeps the first of a name")
        #expect(sanitized("<responsive-image src=a>") == "<responsive-image src=\"a\">")
        #expect(sanitized("<!-- note -->") == "<!-- note -->")
        #expect(sanitized("a < b") == "a &lt; b")
        #expect(sanitized("<span style=\"color: red\">") == "<span style=\"color: red\">")
        #expect(throws: RawHTMLPolicy.Refusal.unsafeStyle) { try RawHTMLPolicy.sanitize("<span style=\"background: u&#114;l(x)\">").get() }
        #expect(throws: RawHTMLPolicy.Refusal.eventHandler("ontoggle")) { try RawHTMLPolicy.sanitize("<details =\nontoggle=x>").get() }
        #expect(throws: RawHTMLPolicy.Refusal.element("svg")) { try RawHTMLPolicy.sanitize("<svg onload=x>").get() }
        #expect(throws: RawHTMLPolicy.Refusal.declaration) { try RawHTMLPolicy.sanitize("<?php echo 1; ?>").get() }
        #expect(throws: RawHTMLPolicy.Refusal.declaration) { try RawHTMLPolicy.sanitize("<!-->").get() }
        #expect(throws: RawHTMLPolicy.Refusal.unfinished) { try RawHTMLPolicy.sanitize("<div title=\"open").get() }
        #expect(throws: RawHTMLPolicy.Refusal.unfinished) { try RawHTMLPolicy.sanitize("<!-- never closed").get() }
    }
}
