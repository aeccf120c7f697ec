/// The site's stylesheet, written to `site/assets/folio.css`.
///
/// One file, no build step: system font stacks, light and dark palettes from
/// `prefers-color-scheme`, a single column on phones, and a print layout without navigation.
enum Stylesheet {
    static let css = #"""
:root {
  --bg: #ffffff; --fg: #1d2127; --muted: #5b6470; --line: #dfe3e8; --accent: #1f6feb;
  --code-bg: #f5f7f9; --out-bg: #fbfbfc; --pass: #1a7f37; --pass-bg: #e9f7ee; --fail: #c62828;
  --fail-bg: #fdecec; --warn: #9a6700; --warn-bg: #fff8e1; --note: #1f6feb; --note-bg: #eef4ff;
  --tip: #1a7f37; --important: #8250df; --important-bg: #f5f0ff; --caution: #c62828;
  --k: #a626a4; --t: #0b7285; --s: #50a14f; --n: #986801; --c: #6a737d; --a: #c18401;
  --series-1: #0072b2; --series-2: #e69f00; --series-3: #009e73; --series-4: #cc79a7;
  --series-5: #56b4e9; --series-6: #d55e00; --series-7: #f0e442; --series-8: #000000;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15181c; --fg: #e3e6ea; --muted: #9aa4af; --line: #2e343b; --accent: #6ea8fe;
    --code-bg: #1d2126; --out-bg: #191c20; --pass: #56d364; --pass-bg: #15291c; --fail: #ff7b72;
    --fail-bg: #33191a; --warn: #e3b341; --warn-bg: #2b2412; --note: #6ea8fe; --note-bg: #16233a;
    --tip: #56d364; --important: #bc8cff; --important-bg: #221a33; --caution: #ff7b72;
    --k: #d2a8ff; --t: #79c0ff; --s: #a5d6a7; --n: #f2cc60; --c: #8b949e; --a: #ffa657;
    --series-1: #56b4e9; --series-2: #e69f00; --series-3: #2fc59b; --series-4: #e7a1cf;
    --series-5: #9ad0f5; --series-6: #ff8a3d; --series-7: #f0e442; --series-8: #e3e6ea;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 17px/1.6 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", "DejaVu Sans", Helvetica, Arial, sans-serif;
}
a { color: var(--accent); text-underline-offset: 2px; }
.site-header {
  display: flex; gap: 1rem; align-items: center; padding: .6rem 1.25rem;
  border-bottom: 1px solid var(--line); font-size: .95rem;
}
.site-header .brand { font-weight: 700; color: var(--fg); text-decoration: none; }
.site-header .search { margin-left: auto; position: relative; }
.site-header input[type=search] {
  font: inherit; padding: .25rem .5rem; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg); color: var(--fg); width: 14rem; max-width: 40vw;
}
.search-results {
  position: absolute; right: 0; top: 2.2rem; z-index: 5; width: min(28rem, 90vw); max-height: 60vh;
  overflow: auto; background: var(--bg); border: 1px solid var(--line); border-radius: 8px;
  list-style: none; margin: 0; padding: .25rem 0; box-shadow: 0 6px 24px rgba(0,0,0,.15);
}
.search-results:empty { display: none; }
.search-results li a { display: block; padding: .35rem .75rem; text-decoration: none; color: var(--fg); }
.search-results li a:hover, .search-results li a:focus { background: var(--code-bg); }
.search-results small { display: block; color: var(--muted); }
.site-footer { text-align: center; color: var(--muted, #6b7280); font-size: .8rem; padding: 2rem 1rem 1.5rem; }
.layout { display: grid; grid-template-columns: 15rem minmax(0, 46rem) 13rem; gap: 2rem; justify-content: center; padding: 0 1.25rem; }
.sidebar, .toc { font-size: .88rem; padding-top: 2rem; }
.sidebar ul, .toc ul { list-style: none; padding-left: 0; margin: 0; }
.sidebar li, .toc li { margin: .2rem 0; }
.sidebar a, .toc a { color: var(--muted); text-decoration: none; }
.sidebar a[aria-current=page] { color: var(--fg); font-weight: 600; }
.sidebar .group { margin-top: 1rem; font-weight: 600; color: var(--fg); }
.toc .toc-inner { position: sticky; top: 1rem; }
.toc li.l3 { padding-left: .8rem; } .toc li.l4 { padding-left: 1.6rem; }
.toc-title, .sidebar-title { font-weight: 600; color: var(--fg); margin-bottom: .4rem; }
main { padding: 1.5rem 0 4rem; min-width: 0; }
.title-block h1 { font-size: 2.1rem; line-height: 1.2; margin: .5rem 0 .4rem; }
.title-block .description { color: var(--muted); font-size: 1.1rem; margin: 0 0 .6rem; }
.meta { color: var(--muted); font-size: .9rem; display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; }
.tag { display: inline-block; font-size: .8rem; padding: 0 .5rem; border-radius: 999px; background: var(--code-bg); border: 1px solid var(--line); color: var(--muted); text-decoration: none; }
.claims-summary { font-weight: 600; }
.claims-summary.pass { color: var(--pass); } .claims-summary.fail { color: var(--fail); }
h1, h2, h3, h4 { line-height: 1.25; margin: 2rem 0 .75rem; }
h2 { font-size: 1.55rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.25rem; }
h1 .anchor, h2 .anchor, h3 .anchor, h4 .anchor, h5 .anchor, h6 .anchor { margin-left: .4rem; color: var(--line); text-decoration: none; font-weight: 400; }
h2:hover .anchor, h3:hover .anchor { color: var(--muted); }
p, ul, ol, table, blockquote, pre { margin: 0 0 1rem; }
blockquote { margin-left: 0; padding: .1rem 1rem; border-left: 4px solid var(--line); color: var(--muted); }
table { border-collapse: collapse; display: block; overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: .3rem .7rem; }
th { background: var(--code-bg); }
img { max-width: 100%; height: auto; }
code, pre, kbd { font-family: "JetBrains Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
:not(pre) > code { background: var(--code-bg); padding: .1em .35em; border-radius: 4px; }
pre { background: var(--code-bg); padding: .8rem 1rem; border-radius: 8px; overflow-x: auto; line-height: 1.45; }
.cell { margin: 1.25rem 0; }
.cell pre.cell-code { border-left: 3px solid var(--accent); border-radius: 0 8px 8px 0; margin-bottom: .4rem; }
.cell-meta { font-size: .78rem; color: var(--muted); margin: -.2rem 0 .3rem; }
.cell-status { font-weight: 600; }
.cell-status.error { color: var(--fail); } .cell-status.not-run, .cell-status.skipped { color: var(--muted); }
.outputs > * { margin: .35rem 0; }
pre.output { background: var(--out-bg); border: 1px solid var(--line); font-size: .85em; white-space: pre-wrap; word-break: break-word; }
pre.output.error { border-color: var(--fail); background: var(--fail-bg); color: var(--fail); }
.output-note { font-size: .8rem; color: var(--warn); }
.output.svg { overflow-x: auto; }
.output.svg svg { max-width: 100%; height: auto; }
figure { margin: 1.5rem 0; } figcaption { color: var(--muted); font-size: .92rem; margin-top: .3rem; }
.claim { display: flex; gap: .6rem; align-items: baseline; padding: .35rem .7rem; border-radius: 6px; font-size: .93rem; }
.claim.pass { background: var(--pass-bg); } .claim.fail { background: var(--fail-bg); }
.badge { font-weight: 700; font-size: .75rem; letter-spacing: .04em; text-transform: uppercase; padding: .05rem .45rem; border-radius: 4px; color: #fff; white-space: nowrap; }
.claim.pass .badge { background: var(--pass); } .claim.fail .badge { background: var(--fail); }
@media (prefers-color-scheme: dark) { .badge { color: #111; } }
.claim .detail { display: block; color: var(--muted); font-size: .85rem; font-family: "DejaVu Sans Mono", monospace; }
.diagnostic { border-left: 4px solid var(--fail); background: var(--fail-bg); padding: .4rem .8rem; margin: .4rem 0; font-family: "DejaVu Sans Mono", monospace; font-size: .85rem; white-space: pre-wrap; }
.diagnostic.warning { border-color: var(--warn); background: var(--warn-bg); }
.callout { border-left: 4px solid var(--note); background: var(--note-bg); padding: .5rem 1rem; border-radius: 0 8px 8px 0; margin: 0 0 1rem; color: var(--fg); }
.callout-title { font-weight: 700; margin-bottom: .25rem; }
.statement { border: 1px solid var(--line); border-radius: 8px; padding: .5rem 1rem; margin: 0 0 1rem; }
.statement.kind-def { background: var(--note-bg); }
.statement-title { margin: .25rem 0 .5rem; }
.statement-status { font-size: .9em; } .statement-status.pass { color: var(--pass); } .statement-status.fail { color: var(--fail); font-weight: 700; }
.statement-status.not-run { color: var(--muted); }
.section-number { color: var(--muted); margin-right: .25em; }
.embed-source { font-weight: normal; font-size: .9em; }
.embed.missing { color: var(--fail); }
figure.table > figcaption { margin-bottom: .5rem; }
.callout.tip { border-color: var(--tip); background: var(--pass-bg); } .callout.warning { border-color: var(--warn); background: var(--warn-bg); }
.callout.important { border-color: var(--important); background: var(--important-bg); } .callout.caution { border-color: var(--caution); background: var(--fail-bg); }
.equation { display: flex; align-items: center; gap: 1rem; } .equation .math.display { flex: 1; }
.eq-number { color: var(--muted); white-space: nowrap; }
.xref.missing, .cite.missing { color: var(--fail); }
.inline-value { font-variant-numeric: tabular-nums; border-bottom: 1px dotted var(--muted); }
.math.display { display: block; overflow-x: auto; overflow-y: hidden; margin: 1rem 0; }
.footnotes { border-top: 1px solid var(--line); margin-top: 3rem; font-size: .9rem; color: var(--muted); }
.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; border-top: 1px solid var(--line); padding-top: 1rem; }
.pager a { text-decoration: none; max-width: 48%; } .pager .next { margin-left: auto; text-align: right; }
.pager small { display: block; color: var(--muted); }
.index-list { list-style: none; padding: 0; }
.index-list > li { padding: .9rem 0; border-bottom: 1px solid var(--line); }
.index-list h3 { margin: 0 0 .2rem; font-size: 1.15rem; border: 0; }
.index-list p { margin: .1rem 0 .3rem; color: var(--muted); }
.references li { margin-bottom: .4rem; }
/* Swift highlighting (build time, from swift-syntax tokens) */
.hl-k { color: var(--k); } .hl-t { color: var(--t); } .hl-s { color: var(--s); } .hl-n { color: var(--n); }
.hl-c { color: var(--c); font-style: italic; } .hl-a { color: var(--a); }
@media (max-width: 1100px) { .layout { grid-template-columns: 13rem minmax(0, 1fr); } .toc { display: none; } }
@media (max-width: 760px) {
  .layout { display: block; } .sidebar { display: none; }
  body { font-size: 16px; } .title-block h1 { font-size: 1.7rem; }
  .site-header input[type=search] { width: 9rem; }
}
.pdf-link { float: right; margin: 0; font-size: .85rem; }
.link-notes, .report-only { display: none; }
/* Sweeps: the summary's table of sets and claims, recorded values. */
table.sweep td.pass { color: var(--pass); font-weight: 600; } table.sweep td.fail { color: var(--fail); font-weight: 700; }
.output.recorded { font-family: "DejaVu Sans Mono", monospace; font-size: .85rem; margin: .3rem 0; }
.output.recorded .name { color: var(--muted); }
/* The combined report (`folio pdf`). */
body.report main { max-width: 46rem; margin: 0 auto; }
.title-page { min-height: 60vh; display: flex; flex-direction: column; justify-content: center; text-align: center; }
.report-title { font-size: 2.2rem; border: none; }
.report-toc ol { list-style: none; padding: 0; }
.report-toc li { display: flex; gap: .5rem; align-items: baseline; padding: .15rem 0; }
.report-toc li a { flex: 1; color: var(--fg); text-decoration: none; border-bottom: 1px dotted var(--line); }
.report-toc .toc-section { font-weight: 700; margin-top: .6rem; }
.report-toc .toc-page { min-width: 2.5rem; text-align: right; font-variant-numeric: tabular-nums; }
.chapter-number { color: var(--muted); font-size: .85rem; text-transform: uppercase; letter-spacing: .05em; margin-bottom: 0; }
.claims-table, .environment { border-collapse: collapse; width: 100%; font-size: .75rem; }
.claims-table { table-layout: fixed; }
.claims-table th, .claims-table td, .environment th, .environment td { border: 1px solid var(--line); padding: .2rem .35rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.claims-table tr.fail .outcome { font-weight: 700; }
/* A figure's tooltip (assets/figures.js): the exact values of the point under the pointer or chosen with the arrow keys. */
.folio-tooltip { position: absolute; z-index: 20; padding: .2rem .45rem; border-radius: 4px; background: var(--fg); color: var(--bg); font-size: .8rem; pointer-events: none; white-space: nowrap; }
.folio-tooltip[hidden] { display: none; }
svg.folio-plot:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.folio-plot .fp-focus { fill: none; stroke: var(--fg); stroke-width: 2; pointer-events: none; }
.figure-downloads { margin: .1rem 0 .6rem; font-size: .8rem; color: var(--muted); }
/* A sweep's explorer: a control per parameter, one set's figures and tables at a time. */
.explorer-controls { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; margin: .5rem 0 1rem; }
.explorer-controls label { font-weight: 600; }
.explorer-controls output { font-variant-numeric: tabular-nums; min-width: 3ch; display: inline-block; }
.explorer-set[hidden] { display: none; }
.explorer-caption { color: var(--muted); font-size: .9rem; }
/* Paper: margins, page numbers and (set per page) the running title in the margin boxes. */
@page {
  margin: 20mm 17mm 22mm;
  @top-center { font: 8.5pt system-ui, sans-serif; color: #555; }
  @bottom-center { content: counter(page) " / " counter(pages); font: 8.5pt system-ui, sans-serif; color: #555; }
}
@media print {
  /* Tooltips are for readers with a pointer or a keyboard, never on paper. */
  .folio-tooltip, .folio-plot .fp-focus, .explorer-controls, .figure-downloads { display: none !important; }
  /* Always the light palette on paper, whatever the screen prefers. */
  :root {
    color-scheme: light;
    --bg: #fff; --fg: #000; --muted: #444; --line: #bbb; --accent: #000; --code-bg: #f4f4f4; --out-bg: #fafafa;
    --pass: #1a7f37; --pass-bg: #fff; --fail: #c62828; --fail-bg: #fff; --k: #a626a4; --t: #0b7285; --s: #50a14f;
    --n: #986801; --c: #6a737d; --a: #c18401;
  }
  .site-header, .sidebar, .toc, .pager, .anchor, .search, .pdf-link, .site-footer { display: none !important; }
  .layout { display: block; padding: 0; }
  body { background: #fff; color: #000; font-size: 10.5pt; }
  /* Code wraps instead of running off the right edge. */
  pre, pre code, code { white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word; }
  pre { border: 1px solid #ccc; overflow: visible; }
  a { color: #000; text-decoration: none; }
  /* External links become numbered notes, listed at the end (`.link-notes`). */
  article { counter-reset: link; }
  article a[href^="http"] { counter-increment: link; }
  article a[href^="http"]::after { content: "[" counter(link) "]"; font-size: 75%; vertical-align: super; }
  .link-notes { display: block; break-before: auto; font-size: 8.5pt; overflow-wrap: anywhere; }
  .link-notes a::after { content: none; }
  .cell, figure, table, .claim, .output.svg, .callout, .statement, li { break-inside: avoid; }
  h1, h2, h3, h4, .callout-title { break-after: avoid; }
  p { orphans: 2; widows: 2; }
  /* Legible in greyscale: the badge's word and its border say it, not its colour. */
  .claim { border: 1px solid #999; }
  .claim.fail { border: 2px dashed #000; }
  .badge { color: #000 !important; background: #fff !important; border: 1px solid #000; }
  .claim.fail .badge { border-width: 2px; }
  .report-only { display: block; }
  .chapter, .report-toc { break-before: page; }
  .claims-table tr, .environment tr { break-inside: avoid; }
}
"""#
}
