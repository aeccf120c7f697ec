import Foundation

/// Files every site carries in `assets/`: the stylesheet, the search script, and KaTeX's CSS and
/// fonts (plus its script when math is typeset in the browser), copied from Debian's libjs-katex.
enum Assets {
    static func write(into staging: URL, writer: SiteWriter, math: MathRenderer, theme: Theme) throws {
        try writer.write(Data(theme.stylesheet.utf8), to: "assets/folio.css", in: staging)
        try writer.write(Data(searchScript.utf8), to: "assets/search.js", in: staging)
        guard math.hasKaTeX else { return }
        let katex = staging.appendingPathComponent("assets/katex")
        try FileManager.default.createDirectory(at: katex, withIntermediateDirectories: true)
        var files = ["katex.min.css"]
        if math.rendersInBrowser {
            files.append("katex.min.js")
            try writer.write(Data(mathScript.utf8), to: "assets/math.js", in: staging)
        }
        for f in files {
            try copyResolved(math.katexDirectory.appendingPathComponent(f), to: katex.appendingPathComponent(f))
        }
        // Only the woff2 fonts: every browser that runs KaTeX reads them, and they are the smallest.
        let fonts = math.katexDirectory.appendingPathComponent("fonts")
        let dest = katex.appendingPathComponent("fonts")
        try FileManager.default.createDirectory(at: dest, withIntermediateDirectories: true)
        for f in (try? FileManager.default.contentsOfDirectory(atPath: fonts.path)) ?? [] where f.hasSuffix(".woff2") {
            try copyResolved(fonts.appendingPathComponent(f), to: dest.appendingPathComponent(f))
        }
    }

    /// Debian ships some KaTeX files as symlinks (katex.min.js → katex.js): copy what they point
    /// to, or the site would carry dangling links.
    static func copyResolved(_ source: URL, to destination: URL) throws {
        try FileManager.default.copyItem(at: source.resolvingSymlinksInPath(), to: destination)
    }

    /// Typesets `.math` elements in the browser (only used when node was not found at build time).
    static let mathScript = #"""
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('.math').forEach(function (el) {
    var display = el.classList.contains('display');
    var tex = el.textContent.replace(/^\\[\[(]/, '').replace(/\\[\])]$/, '');
    try { katex.render(tex, el, {displayMode: display, throwOnError: false}); } catch (e) { }
  });
});
"""#

    /// Client-side search over `search-index.js`, loaded on first focus of the search box.
    static let searchScript = #"""
(function () {
  var me = document.currentScript;
  var root = (me && me.getAttribute('data-root')) || '';
  function ready(fn) { if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn); }
  ready(function () {
    var box = document.getElementById('search'), list = document.getElementById('search-results');
    if (!box || !list) return;
    var loading = false;
    function load(then) {
      if (window.FOLIO_SEARCH) return then();
      if (loading) return; loading = true;
      var s = document.createElement('script');
      s.src = root + 'search-index.js';
      s.onload = then;
      document.head.appendChild(s);
    }
    function words(q) { return q.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; }); }
    function snippet(text, w) {
      var i = text.toLowerCase().indexOf(w);
      if (i < 0) return '';
      var start = Math.max(0, i - 40);
      return (start > 0 ? '…' : '') + text.slice(start, i + 60) + '…';
    }
    function search() {
      var ws = words(box.value);
      list.textContent = '';
      if (!ws.length || !window.FOLIO_SEARCH) return;
      var hits = [];
      window.FOLIO_SEARCH.forEach(function (p) {
        var title = p.title.toLowerCase(), text = p.text.toLowerCase(), score = 0, anchor = '';
        var all = ws.every(function (w) {
          var s = 0;
          if (title.indexOf(w) >= 0) s += 10;
          p.headings.forEach(function (h) { if (h[0].toLowerCase().indexOf(w) >= 0) { s += 5; if (!anchor) anchor = h[1]; } });
          if (text.indexOf(w) >= 0) s += 1;
          score += s;
          return s > 0;
        });
        if (all) hits.push({p: p, score: score, anchor: anchor});
      });
      hits.sort(function (a, b) { return b.score - a.score; });
      hits.slice(0, 12).forEach(function (h) {
        var li = document.createElement('li'), a = document.createElement('a'), small = document.createElement('small');
        a.href = root + h.p.path + (h.anchor ? '#' + h.anchor : '');
        a.textContent = h.p.title;
        small.textContent = snippet(h.p.text, ws[0]);
        a.appendChild(small); li.appendChild(a); list.appendChild(li);
      });
      if (!hits.length) { var li = document.createElement('li'); li.textContent = 'No matches'; li.style.padding = '.35rem .75rem'; list.appendChild(li); }
    }
    // A link to `page.html?q=words` (or `#search=words`) opens with that search run.
    var pre = new URLSearchParams(location.search).get('q') || (location.hash.indexOf('#search=') === 0 ? decodeURIComponent(location.hash.slice(8)) : '');
    if (pre) { box.value = pre; load(search); }
    box.addEventListener('focus', function () { load(function () {}); });
    box.addEventListener('input', function () { load(search); });
    box.addEventListener('keydown', function (e) { if (e.key === 'Escape') { box.value = ''; list.textContent = ''; } });
  });
})();
"""#
}
