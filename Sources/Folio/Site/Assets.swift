import Foundation

/// Files every site carries in `assets/`: the stylesheet, the search script, and KaTeX's CSS and
/// fonts (plus its script when math is typeset in the browser), copied from Debian's libjs-katex.
enum Assets {
    static func write(into staging: URL, writer: SiteWriter, math: MathRenderer, theme: Theme) throws {
        try writer.write(Data(theme.stylesheet.utf8), to: "assets/folio.css", in: staging)
        try writer.write(Data(searchScript.utf8), to: "assets/search.js", in: staging)
        try writer.write(Data(figuresScript.utf8), to: "assets/figures.js", in: staging)
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

    /// Tooltips and download links for figures, and sweep explorers. Tooltips: the exact values (and the series) of the point nearest the pointer,
    /// read from the `data-x`/`data-y` and `data-points` attributes Plots writes; a figure with
    /// such points takes the keyboard focus, and the arrow keys step through its points (Home,
    /// End, Escape). Runs under the pages' policy: a file of the site, no inline script.
    static let figuresScript = #"""
    (function () {
      'use strict';
      let tip = null;
      function tooltip() {
        if (!tip) {
          tip = document.createElement('div');
          tip.className = 'folio-tooltip';
          tip.setAttribute('role', 'status');
          tip.hidden = true;
          document.body.appendChild(tip);
        }
        return tip;
      }
      function text(el, x, y) {
        const series = el && el.getAttribute('data-series');
        return (series ? series + ': ' : '') + 'x = ' + x + ', y = ' + y;
      }
      // The figure's points in its own coordinates (a panel's, moved into the whole figure's),
      // in reading order (left to right).
      function points(svg) {
        if (svg.folioPoints) return svg.folioPoints;
        const list = [];
        const outer = svg.getScreenCTM().inverse();
        const at = function (el, x, y) { return new DOMPoint(x, y).matrixTransform(outer.multiply(el.getScreenCTM())); };
        for (const el of svg.querySelectorAll('[data-x]')) {
          const b = el.getBBox();
          const top = el.tagName.toLowerCase() === 'rect';
          const p = at(el, b.x + b.width / 2, top ? b.y : b.y + b.height / 2);
          list.push({ x: p.x, y: p.y, text: text(el.closest('[data-series]'), el.getAttribute('data-x'), el.getAttribute('data-y')) });
        }
        for (const el of svg.querySelectorAll('path[data-points]')) {
          const coords = (el.getAttribute('d').match(/-?[0-9.]+(?:e-?[0-9]+)?/g) || []).map(Number);
          el.getAttribute('data-points').split(' ').forEach(function (v, i) {
            const xy = v.split(',');
            const p = at(el, coords[2 * i], coords[2 * i + 1]);
            list.push({ x: p.x, y: p.y, text: text(el, xy[0], xy[1]) });
          });
        }
        // Marks without an element per point leave their tooltips in one list: "x,y,text|…".
        for (const el of svg.querySelectorAll('g.fp-tips')) {
          for (const entry of el.getAttribute('data-tips').split('|')) {
            const first = entry.indexOf(','), second = entry.indexOf(',', first + 1);
            const p = at(el, Number(entry.slice(0, first)), Number(entry.slice(first + 1, second)));
            list.push({ x: p.x, y: p.y, text: entry.slice(second + 1) });
          }
        }
        list.sort(function (a, b) { return a.x - b.x || a.y - b.y; });
        svg.folioPoints = list;
        return list;
      }
      function mark(svg, p) {
        let ring = svg.querySelector('.fp-focus');
        if (!ring) {
          ring = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
          ring.setAttribute('class', 'fp-focus');
          ring.setAttribute('r', '6');
          svg.appendChild(ring);
        }
        ring.setAttribute('cx', p.x);
        ring.setAttribute('cy', p.y);
      }
      function show(svg, p) {
        const t = tooltip();
        t.textContent = p.text;
        t.hidden = false;
        const m = svg.getScreenCTM();
        t.style.left = (m.a * p.x + m.c * p.y + m.e + window.scrollX + 10) + 'px';
        t.style.top = (m.b * p.x + m.d * p.y + m.f + window.scrollY - 32) + 'px';
        mark(svg, p);
      }
      function hide(svg) {
        if (tip) tip.hidden = true;
        const ring = svg && svg.querySelector('.fp-focus');
        if (ring) ring.remove();
      }
      let current = null;
      document.addEventListener('pointermove', function (e) {
        const svg = e.target.closest ? e.target.closest('svg.folio-plot') : null;
        if (svg !== current && current) hide(current);
        current = svg;
        if (!svg) return;
        const list = points(svg);
        const pt = svg.createSVGPoint();
        pt.x = e.clientX; pt.y = e.clientY;
        const q = pt.matrixTransform(svg.getScreenCTM().inverse());
        let best = null, bestDistance = 14 * 14;
        for (const p of list) {
          const d = (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y);
          if (d < bestDistance) { bestDistance = d; best = p; }
        }
        if (best) show(svg, best); else hide(svg);
      });
      for (const svg of document.querySelectorAll('svg.folio-plot')) {
        if (!svg.querySelector('[data-x], path[data-points], g.fp-tips')) continue;
        svg.setAttribute('tabindex', '0');
        let index = -1;
        svg.addEventListener('keydown', function (e) {
          const list = points(svg);
          const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
          if (e.key in moves) index = Math.min(list.length - 1, Math.max(0, index + moves[e.key]));
          else if (e.key === 'Home') index = 0;
          else if (e.key === 'End') index = list.length - 1;
          else if (e.key === 'Escape') { hide(svg); index = -1; return; }
          else return;
          e.preventDefault();
          show(svg, list[index]);
        });
        svg.addEventListener('blur', function () { hide(svg); index = -1; });
      }
      // Downloads: each figure's SVG (its theme colours written out, so it stands alone) and a
      // PNG at twice its size, drawn in a canvas when the link is first pointed at or focused.
      let figureNumber = 0;
      for (const svg of document.querySelectorAll('.output.svg > svg.folio-plot')) {
        figureNumber += 1;
        const holder = svg.closest('figure[id]');
        const name = holder ? holder.id : 'figure-' + figureNumber;
        const source = new XMLSerializer().serializeToString(svg).replace(/var\(--[a-z0-9-]+,([^)]+)\)/g, '$1');
        const svgURL = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(source);
        const links = document.createElement('p');
        links.className = 'figure-downloads';
        const svgLink = document.createElement('a');
        svgLink.href = svgURL; svgLink.download = name + '.svg'; svgLink.textContent = 'SVG';
        const pngLink = document.createElement('a');
        pngLink.href = svgURL; pngLink.download = name + '.png'; pngLink.textContent = 'PNG';
        const drawPNG = function () {
          if (pngLink.dataset.drawn) return;
          pngLink.dataset.drawn = 'pending';
          const image = new Image();
          image.onload = function () {
            const box = svg.viewBox.baseVal;
            const canvas = document.createElement('canvas');
            canvas.width = 2 * box.width; canvas.height = 2 * box.height;
            const g = canvas.getContext('2d');
            g.fillStyle = '#fff'; g.fillRect(0, 0, canvas.width, canvas.height);
            g.drawImage(image, 0, 0, canvas.width, canvas.height);
            pngLink.href = canvas.toDataURL('image/png');
            pngLink.dataset.drawn = 'yes';
          };
          image.src = svgURL;
        };
        pngLink.addEventListener('pointerenter', drawPNG);
        pngLink.addEventListener('focus', drawPNG);
        links.append('Download: ', svgLink, ' · ', pngLink);
        svg.parentNode.after(links);
      }
      // A sweep's explorer: each control moves to the set with its value, keeping as many of the
      // other controls' values as a set has; the URL's query keeps the set chosen.
      for (const explorer of document.querySelectorAll('.sweep-explorer')) {
        const sets = Array.from(explorer.querySelectorAll('.explorer-set')).map(function (el) {
          return { el: el, key: el.getAttribute('data-key'), values: JSON.parse(el.getAttribute('data-values')) };
        });
        const controls = Array.from(explorer.querySelectorAll('[data-parameter]'));
        const name = function (c) { return c.getAttribute('data-parameter'); };
        const valueOf = function (c) {
          return c.tagName.toLowerCase() === 'select' ? c.value : JSON.parse(c.getAttribute('data-values'))[Number(c.value)];
        };
        const setControl = function (c, v) {
          if (c.tagName.toLowerCase() === 'select') { c.value = v; return; }
          const i = JSON.parse(c.getAttribute('data-values')).indexOf(v);
          if (i >= 0) c.value = String(i);
          c.setAttribute('aria-valuetext', v);
          const out = explorer.querySelector('output[for="' + c.id + '"]');
          if (out) out.textContent = v;
        };
        const choose = function (set, remember) {
          for (const s of sets) s.el.hidden = s !== set;
          for (const c of controls) setControl(c, set.values[name(c)]);
          if (remember) { try { history.replaceState(null, '', '?' + set.key + location.hash); } catch (e) { /* a file: page may refuse */ } }
        };
        for (const c of controls) {
          c.addEventListener('input', function () {
            const want = {};
            for (const d of controls) want[name(d)] = valueOf(d);
            let best = null, score = -1;
            for (const s of sets) {
              if (s.values[name(c)] !== want[name(c)]) continue;
              const n = controls.filter(function (d) { return s.values[name(d)] === want[name(d)]; }).length;
              if (n > score) { score = n; best = s; }
            }
            if (best) choose(best, true);
          });
        }
        const query = new URLSearchParams(location.search);
        const asked = sets.find(function (s) {
          return controls.some(function (c) { return query.has(name(c)); })
            && controls.every(function (c) { return !query.has(name(c)) || s.values[name(c)] === query.get(name(c)); });
        });
        if (sets.length) choose(asked || sets[0], false);
      }
    })();
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
