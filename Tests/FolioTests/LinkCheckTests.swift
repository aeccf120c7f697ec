import Foundation
import Testing
@testable import Folio

/// `folio check --links` against a web server the test starts on loopback
/// (`Tests/Fixtures/links/server.py`: 200, 404, a redirect, a server that never answers, one that
/// fails once, one that refuses HEAD) and a site with a broken anchor and a missing file.
@Suite(.serialized) struct LinkCheckTests {
    /// The server and the port it listens on; the caller terminates it.
    static func startServer() throws -> (Process, Int) {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", TestSupport.fixtures.appendingPathComponent("links/server.py").path]
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        var line = Data()
        while !line.contains(10) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        return (server, port)
    }

    static func count(_ path: String, port: Int) -> Int {
        Int(PreviewTests.get("http://127.0.0.1:\(port)/count?path=\(path)").body) ?? -1
    }

    static let environment = ["FOLIO_LINK_TIMEOUT": "1", "FOLIO_LINK_RETRIES": "1"]

    @Test func brokenLinksFailAtTheirLinesAndWorkingOnesPass() throws {
        let (server, port) = try Self.startServer()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        #expect(port > 0, "the test server did not start")
        let web = "http://127.0.0.1:\(port)"
        let dir = TestSupport.temporaryDirectory("links")
        TestSupport.write("""
        # A

        The [next page](b.md), [its section](b.md#method) and [this one](#a).
        A [broken anchor](b.md#results) and [a missing file](data/table.csv). <img src="assets/missing-logo.svg" alt="logo">
        [Fine](\(web)/ok), [refuses HEAD](\(web)/get-only), [fails once](\(web)/flaky).
        [Gone](\(web)/missing).
        [Moved](\(web)/moved).
        [Silent](\(web)/silent).

        """, to: dir.appendingPathComponent("notebooks/a.md"))
        TestSupport.write("# B\n\n## Method {#method}\n\nBack to [A](a.md#a).\n", to: dir.appendingPathComponent("notebooks/b.md"))
        let junit = dir.appendingPathComponent("links.xml")

        let r = try TestSupport.runFolio(["check", "--links", "--junit", junit.path], in: dir, environment: Self.environment)
        #expect(r.status == 1, "\(r.output)")
        let lines = r.output.split(separator: "\n").map(String.init)
        func said(_ text: String) -> Bool { lines.contains(text) }
        #expect(said("notebooks/a.md:4: error: link `b.html#results`: `b.html` has no element with id `results`"), "\(r.output)")
        #expect(said("notebooks/a.md:4: error: link `data/table.csv`: the site has no page or file `data/table.csv`"), "\(r.output)")
        #expect(said("notebooks/a.md:4: error: link `assets/missing-logo.svg`: the site has no page or file `assets/missing-logo.svg`"), "\(r.output)")
        #expect(said("notebooks/a.md:6: error: link `\(web)/missing`: the server answered 404 Not Found"), "\(r.output)")
        #expect(said("notebooks/a.md:7: warning: link `\(web)/moved`: it redirects (301) to \(web)/ok; link there directly"), "\(r.output)")
        #expect(said("notebooks/a.md:8: error: link `\(web)/silent`: it could not be reached (no answer in 1 s, 2 tries)"), "\(r.output)")
        #expect(!r.output.contains("/ok`") && !r.output.contains("get-only`") && !r.output.contains("flaky`") && !r.output.contains("b.html#method"), "\(r.output)")
        #expect(!r.output.contains("notebooks/b.md"), "b's links hold: \(r.output)")
        #expect(Self.count("/flaky", port: port) == 2, "a 503 is asked again")
        #expect(Self.count("/silent", port: port) == 2, "a server that does not answer is asked again, once")
        // The site people read is not touched by a check.
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("site").path))

        // One JUnit case per broken link, each failing; the redirect is not one.
        let xml = TestSupport.read(junit)
        #expect(xml.components(separatedBy: "name=\"line ").count - 1 == 5, "\(xml)")
        #expect(xml.contains("name=\"line 6: link `\(web)/missing`: the server answered 404 Not Found\">\n      <failure"), "\(xml)")
        #expect(!xml.contains("/moved"))

        // Answers that held are remembered: a second check does not ask for them again; broken ones are asked again.
        let (ok, missing) = (Self.count("/ok", port: port), Self.count("/missing", port: port))
        _ = try TestSupport.runFolio(["check", "--links"], in: dir, environment: Self.environment)
        #expect(Self.count("/ok", port: port) == ok)
        #expect(Self.count("/missing", port: port) == missing + 1)

        // Inside the site only: nothing goes over the network, and the internal problems remain.
        let asked = Self.count("/missing", port: port)
        let inside = try TestSupport.runFolio(["check", "--links=internal"], in: dir, environment: Self.environment)
        #expect(inside.status == 1 && inside.output.contains("`b.html#results`") && !inside.output.contains(web), "\(inside.output)")
        #expect(Self.count("/missing", port: port) == asked)
    }

    @Test func aSiteWhoseLinksHoldPasses() throws {
        let dir = TestSupport.temporaryDirectory("links-ok")
        TestSupport.write("# A\n\nSee [B](b.md#method), [me](#a), [top](./), <mailto:me@example.org> and ![p](p.png).\n", to: dir.appendingPathComponent("notebooks/a.md"))
        TestSupport.write("PNG", to: dir.appendingPathComponent("notebooks/p.png"))
        TestSupport.write("# B\n\n## Method {#method}\n\n[Up](./a.md), [out](../x.html)\n", to: dir.appendingPathComponent("notebooks/b.md"))
        let r = try TestSupport.runFolio(["check", "--links=internal"], in: dir)
        #expect(r.status == 1 && r.output.contains("notebooks/b.md:5: error: link `../x.html`: it points outside the site"), "\(r.output)")
        TestSupport.write("# B\n\n## Method {#method}\n\n[Up](./a.md)\n", to: dir.appendingPathComponent("notebooks/b.md"))
        let fixed = try TestSupport.runFolio(["check", "--links=internal"], in: dir)
        #expect(fixed.status == 0, "\(fixed.output)")
        #expect(fixed.output.contains("links checked (inside the site only): none broken"), "\(fixed.output)")
    }

    /// A project theme's template that links to a file the site lacks: every page carries the
    /// link, and the index, which no notebook wrote, reports it at the page itself.
    @Test func aThemeLinkThatDoesNotHoldIsReportedAtThePage() throws {
        let dir = TestSupport.temporaryDirectory("links-theme")
        TestSupport.write("title: Linked\ntheme: theme\nnotebooks: notebooks\n", to: dir.appendingPathComponent("folio.yml"))
        TestSupport.write("# A\n\nProse.\n", to: dir.appendingPathComponent("notebooks/a.md"))
        TestSupport.write("""
        <!DOCTYPE html>
        <html lang="en"><head>{{{head}}}</head><body><a href="{{root}}assets/logo.svg">logo</a>
        {{{header}}}<main id="content">{{{content}}}</main>{{{footer}}}</body></html>
        """, to: dir.appendingPathComponent("theme/page.mustache"))
        let junit = dir.appendingPathComponent("j.xml")
        let r = try TestSupport.runFolio(["check", "--links=internal", "--junit", junit.path], in: dir)
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains(".folio/check-site/index.html: error: link `assets/logo.svg`: the site has no page or file `assets/logo.svg`"), "\(r.output)")
        #expect(r.output.contains("notebooks/a.md: error: link `assets/logo.svg`"), "\(r.output)")
        #expect(TestSupport.read(junit).contains("<testsuite name=\".folio/check-site/index.html\" tests=\"1\" failures=\"1\">"))
    }

    /// The rules for one link, without a build.
    @Test func resolvingLinksAsABrowserDoes() throws {
        let dir = TestSupport.temporaryDirectory("links-unit")
        TestSupport.write("<h1 id=\"t\">x</h1><a name=\"old\"></a>", to: dir.appendingPathComponent("sub/p.html"))
        TestSupport.write("<a href=\"sub/p.html#t\">", to: dir.appendingPathComponent("index.html"))
        TestSupport.write("x", to: dir.appendingPathComponent("assets/s.css"))
        let check = LinkCheck(site: dir)
        let (files, pages) = check.read()
        func problem(_ url: String, on page: String = "sub/p.html") -> String? { check.problem(url, on: page, files: files, pages: pages) }
        #expect(problem("#t") == nil && problem("#old") == nil && problem("p.html#t") == nil)
        #expect(problem("../assets/s.css") == nil && problem("/assets/s.css") == nil && problem("../") == nil)
        #expect(problem("../sub/") == "the site has no page or file `sub/index.html`")
        #expect(problem("../index.html?x=1#nothing") == "`index.html` has no element with id `nothing`")
        #expect(problem("#missing") == "`sub/p.html` has no element with id `missing`")
        #expect(problem("../../etc/passwd") == "it points outside the site")
        #expect(problem("q.html") == "the site has no page or file `sub/q.html`")
        #expect(problem("p%2Ehtml#t") == nil, "percent-encoded paths are decoded")
        #expect(LinkCheck.links(in: Array("<a href=\"a.html?x=1&amp;y=2\">".utf8)).links == ["a.html?x=1&y=2"])
        #expect(LinkCheck.isOtherScheme("mailto:x@y.z") && !LinkCheck.isOtherScheme("a/b:c.html"))
        #expect(CMarkDocument.pageLink("../a/b.md#sec") == "../a/b.html#sec" && CMarkDocument.pageLink("http://x.org/a.md") == nil)
    }
}
