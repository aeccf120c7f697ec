import Foundation
import Testing
@testable import Folio

/// Opens built pages in headless Chromium (Debian's `chromium`, installed by `make deps`) and
/// reads the DOM after scripts ran.
@Suite(.serialized) struct BrowserTests {
    static var chromium: URL? {
        for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: p) {
            return URL(fileURLWithPath: p)
        }
        return nil
    }

    static func dumpDOM(_ page: URL) throws -> String {
        let chrome = try #require(chromium, "chromium is not installed; run `make deps`")
        let r = try Subprocess.run(chrome, arguments: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                                      "--disable-background-networking", "--virtual-time-budget=5000",
                                                      "--dump-dom", page.absoluteString], timeout: 90)
        return String(decoding: r.stdout, as: UTF8.self)
    }

    func buildMathPage(env: [String: String]) throws -> URL {
        let dir = TestSupport.temporaryDirectory("browser")
        TestSupport.write("# Math\n\nInline $a^2+b^2=c^2$ and \\(e^{i\\pi}=-1\\).\n\n$$\\sum_{k=1}^n k = \\frac{n(n+1)}{2}$$\n", to: dir.appendingPathComponent("notebooks/m.md"))
        let r = try TestSupport.runFolio(["build"], in: dir, environment: env)
        #expect(r.status == 0, "\(r.output)")
        return dir.appendingPathComponent("site/m.html")
    }

    @Test func kaTeXTypesetsFormulasInTheBrowser() throws {
        // Without node, KaTeX's own script (copied into site/assets) typesets the page.
        let page = try buildMathPage(env: ["FOLIO_NO_NODE": "1"])
        let html = TestSupport.read(page)
        #expect(html.contains("assets/katex/katex.min.js"))
        let dom = try Self.dumpDOM(page)
        #expect(dom.components(separatedBy: "class=\"katex\"").count - 1 == 3, "KaTeX did not typeset the three formulas")
        #expect(dom.contains("katex-display"))
    }

    @Test func searchFindsAWordFromAnotherPage() throws {
        let dir = TestSupport.temporaryDirectory("search")
        TestSupport.write("# First\n\nNothing special here.\n", to: dir.appendingPathComponent("notebooks/first.md"))
        TestSupport.write("---\ntitle: Parity\n---\n## Mediation\n\nThe xorsum of the bits is conserved.\n", to: dir.appendingPathComponent("notebooks/second.md"))
        #expect(try TestSupport.runFolio(["build"], in: dir).status == 0)
        var url = URLComponents(url: dir.appendingPathComponent("site/first.html"), resolvingAgainstBaseURL: false)!
        url.fragment = "search=xorsum"
        let dom = try Self.dumpDOM(url.url!)
        let after = dom.components(separatedBy: "id=\"search-results\"").last ?? ""
        let results = after.components(separatedBy: "</ul>").first ?? ""
        #expect(results.contains("href=\"second.html\""), "search did not list the page containing the word")
        #expect(results.contains("Parity"))
        #expect(!results.contains("href=\"first.html\""))
    }

    @Test func prerenderedMathNeedsNoScriptAndNothingLoadsFromTheNetwork() throws {
        let page = try buildMathPage(env: [:])
        let html = TestSupport.read(page)
        #expect(!html.contains("katex.min.js"))
        #expect(html.components(separatedBy: "class=\"katex\"").count - 1 == 3)
        for attr in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import"] { #expect(!html.contains(attr)) }
        let dom = try Self.dumpDOM(page)
        #expect(dom.components(separatedBy: "class=\"katex\"").count - 1 == 3)
    }
}

/// A figure's tooltips in Chromium: the pointer over a point, then the keyboard, read the exact
/// values and the series; print media hides them.
@Suite(.serialized) struct FigureTooltipTests {
    @Test func hoverAndArrowKeysShowAPointsExactValues() throws {
        let dir = TestSupport.temporaryDirectory("tooltips")
        TestSupport.write("""
            # Tooltips

            ```swift
            Figure(title: "Two series") {
                Scatter(x: [1, 2, 3], y: [0.1, 0.2, 0.30000000000000004], series: "measured")
                Line(x: [1, 3], y: [0, 0.4], series: "fit")
            }
            ```

            ```swift
            Panels(columns: 2) {
                Figure(title: "left") { Scatter(x: [1], y: [1], series: "a") }
                Figure(title: "right") { Scatter(x: [5, 6], y: [7, 8.5], series: "b") }
            }
            ```

            ```swift
            Figure.heatmap(Matrix([[1, 2], [3, 4.25]]))
            ```
            """, to: dir.appendingPathComponent("notebooks/t.md"))
        let built = try TestSupport.runFolio(["build"], in: dir)
        #expect(built.status == 0, "\(built.output)")
        let chrome = try Chromium(binary: try #require(BrowserTests.chromium), loopback: true)
        defer { chrome.shutdown() }
        let probe = """
        new Promise(done => setTimeout(() => { try {
          const svg = document.querySelector('svg.folio-plot');
          const point = svg.querySelectorAll('[data-x]')[2];
          const box = point.getBoundingClientRect();
          point.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, clientX: box.x + box.width / 2, clientY: box.y + box.height / 2 }));
          const tip = document.querySelector('.folio-tooltip');
          const hovered = tip && !tip.hidden ? tip.textContent : '';
          svg.focus();
          svg.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
          const first = tip.textContent;
          svg.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
          const second = tip.textContent;
          svg.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
          const hidden = tip.hidden;
          // In a panel of a figure of panels: the point of panel (b).
          const panels = document.querySelectorAll('svg.folio-plot')[1];
          const inPanel = panels.querySelectorAll('[data-x]')[2];
          const pbox = inPanel.getBoundingClientRect();
          inPanel.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, clientX: pbox.x + pbox.width / 2, clientY: pbox.y + pbox.height / 2 }));
          const panelHover = tip.hidden ? '' : tip.textContent;
          // A heatmap's cell, from the list of tooltips its marks leave.
          const heat = document.querySelectorAll('svg.folio-plot')[2];
          const tips = heat.querySelector('g.fp-tips');
          const last = tips.getAttribute('data-tips').split('|')[3].split(',');
          const onScreen = new DOMPoint(Number(last[0]), Number(last[1])).matrixTransform(tips.getScreenCTM());
          tips.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, clientX: onScreen.x, clientY: onScreen.y }));
          const cellHover = tip.hidden ? '' : tip.textContent;
          const links = [...document.querySelectorAll('.figure-downloads a')].slice(0, 2);
          const svgText = decodeURIComponent(links[0].href.slice(links[0].href.indexOf(',') + 1));
          links[1].dispatchEvent(new Event('focus'));
          const waitForPNG = (left) => links[1].href.startsWith('data:image/png') || left <= 0
            ? done(JSON.stringify({ hovered, first, second, panelHover, cellHover, hidden, tabindex: svg.getAttribute('tabindex'),
                                    downloads: links.map(a => a.download), svgStandalone: svgText.startsWith('<svg') && !svgText.includes('var(--'),
                                    png: links[1].href.slice(0, 22), pngBytes: links[1].href.length }))
            : setTimeout(() => waitForPNG(left - 1), 50);
          waitForPNG(100);
        } catch (e) { done(JSON.stringify({ error: String(e) })); } }, 100))
        """
        let json = try #require(try chrome.evaluate(dir.appendingPathComponent("site/t.html"), probe, timeout: 30) as? String)
        let r = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(r["hovered"] as? String == "measured: x = 3, y = 0.30000000000000004", "\(r)")
        // Left to right, and top to bottom at one x: the measured point above the fit's start.
        #expect(r["first"] as? String == "measured: x = 1, y = 0.1", "\(r)")
        #expect(r["second"] as? String == "fit: x = 1, y = 0", "\(r)")
        #expect(r["hidden"] as? Bool == true && r["tabindex"] as? String == "0")
        #expect(r["panelHover"] as? String == "b: x = 6, y = 8.5", "\(r)")
        #expect(r["cellHover"] as? String == "row 1, column 1: 4.25", "\(r)")
        // Its downloads: the SVG standing alone, and a PNG drawn when the link is focused.
        #expect(r["downloads"] as? [String] == ["figure-1.svg", "figure-1.png"], "\(r)")
        #expect(r["svgStandalone"] as? Bool == true)
        #expect(r["png"] as? String == "data:image/png;base64,", "\(r)")
        #expect((r["pngBytes"] as? Int ?? 0) > 5000)
        // On paper (the PDFs) no tooltip and no focus ring.
        let css = TestSupport.read(dir.appendingPathComponent("site/assets/folio.css"))
        let print = css.components(separatedBy: "@media print {").dropFirst().first ?? ""
        #expect(print.contains(".folio-tooltip, .folio-plot .fp-focus, .explorer-controls, .figure-downloads { display: none !important; }"))
    }
}

/// A sweep's summary explores its sets in the page: a slider per number, a choice per string,
/// the set chosen kept in the URL, no server and no reload.
@Suite(.serialized) struct SweepExplorerTests {
    @Test func aSliderAndAChoiceSwitchTheSetShownAndTheURLChoosesOne() throws {
        let dir = TestSupport.temporaryDirectory("explorer")
        TestSupport.write("""
            ---
            title: Powers
            params:
              p: 1
              shape: line
            sweep:
              p: [1, 2, 3]
              shape: [line, points]
            ---
            # Powers

            ```swift
            //| label: fig-power
            //| caption: x to the power p
            let xs = (1...5).map(Double.init)
            Figure(title: "power \\(params.p), \\(params.shape)") {
                if params.shape == "line" { Line(x: xs, y: xs.map { pow($0, Double(params.p)) }) } else { Scatter(x: xs, y: xs.map { pow($0, Double(params.p)) }) }
            }
            ```

            ```swift
            check(pow(2.0, Double(params.p)) == Double(1 << params.p), "2 to the \\(params.p) is a power of two")
            ```
            """, to: dir.appendingPathComponent("notebooks/powers.md"))
        let built = try TestSupport.runFolio(["build", "--jobs", "2"], in: dir)
        #expect(built.status == 0, "\(built.output)")
        let page = dir.appendingPathComponent("site/powers.html")
        let html = TestSupport.read(page)
        #expect(html.components(separatedBy: "class=\"explorer-set\"").count - 1 == 6)
        #expect(html.contains("type=\"range\"") && html.contains("<select"))
        let chrome = try Chromium(binary: try #require(BrowserTests.chromium), loopback: true)
        defer { chrome.shutdown() }
        let probe = """
        new Promise(done => setTimeout(() => { try {
          const shown = () => { const s = [...document.querySelectorAll('.explorer-set')].filter(e => !e.hidden);
                                return s.map(e => e.querySelector('svg title').textContent + ' / ' + e.querySelector('.claim').textContent.trim()).join('|'); };
          const fromURL = shown();
          const slider = document.querySelector('input[type=range][data-parameter=p]');
          slider.value = '2'; slider.dispatchEvent(new Event('input', { bubbles: true }));
          const afterSlider = shown() + ' ' + document.querySelector('output').textContent + ' ' + slider.getAttribute('aria-valuetext');
          const choice = document.querySelector('select[data-parameter=shape]');
          choice.value = 'line'; choice.dispatchEvent(new Event('input', { bubbles: true }));
          done(JSON.stringify({ fromURL, afterSlider, afterChoice: shown(), query: location.search }));
        } catch (e) { done(JSON.stringify({ error: String(e) })); } }, 100))
        """
        var url = URLComponents(url: page, resolvingAgainstBaseURL: false)!
        url.query = "p=2&shape=points"
        let json = try #require(try chrome.evaluate(url.url!, probe, timeout: 30) as? String)
        let r = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((r["fromURL"] as? String)?.hasPrefix("power 2, points / ") == true, "\(r)")
        #expect((r["fromURL"] as? String)?.contains("2 to the 2 is a power of two") == true, "\(r)")
        #expect((r["afterSlider"] as? String).map { $0.hasPrefix("power 3, points / ") && $0.contains("2 to the 3 is") && $0.hasSuffix(" 3 3") } == true, "\(r)")
        #expect((r["afterChoice"] as? String).map { $0.hasPrefix("power 3, line / ") && $0.contains("2 to the 3 is") } == true, "\(r)")
        #expect((r["query"] as? String).map { $0 == "?p=3&shape=line" || $0 == "?p=2&shape=points" } == true, "\(r)")
    }
}
