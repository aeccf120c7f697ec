"""`folio export`, read back by each format's own tools: the Word document by unzipping its XML
and by pandoc, the Jupyter notebooks by nbformat's schema and nbconvert's HTML exporter."""
import base64
import json
import os
import pathlib
import re
import shutil
import subprocess
import zipfile

import nbformat
import pytest
from nbconvert import HTMLExporter

ROOT = pathlib.Path(__file__).resolve().parents[2]
FOLIO = os.path.abspath(os.environ.get("FOLIO_BIN", str(ROOT / ".build" / "debug" / "folio")))

PROJECT = {
    "folio.yml": "title: Squares and sums\nauthor: A. Tester\nnumber-sections: true\nnotebooks:\n  - notebooks/growth.md\n  - notebooks/sums.md\n",
    "notebooks/refs.bib": """@book{gauss1801,
  author = {Gauss, Carl Friedrich},
  title = {Disquisitiones Arithmeticae},
  year = {1801},
}
""",
    "notebooks/growth.md": """---
title: Growth
bibliography: refs.bib
---

The energy is $E = mc^2$, and summing gives

$$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$ {#eq-sum}

As @fig-growth shows and @tbl-squares lists, squares grow fast [@gauss1801]; see @eq-sum.
A literal asterisk \\* and a dollar sign \\$5 stay text.

```swift
//| label: fig-growth
//| caption: Squares of the first ten numbers
let xs = (1...10).map(Double.init)
Figure(title: "Squares") { Line(x: xs, y: xs.map { $0 * $0 }, label: "n squared") }
```

```swift
//| label: tbl-squares
//| caption: The first squares
display(Table(.init("n", [1, 2, 3]), .init("square", [1, 4, 9])))
print("printed", 3 * 3)
check(3 * 3 == 9, "three squared is nine")
```

| left | right |
|:-----|------:|
| a    | 1     |
| b    | 2     |

: Letters and numbers {#tbl-letters}
""",
    "notebooks/sums.md": """---
title: Sums
---

Back in @fig-growth the squares grew; here the sums do.

```swift
let total = (1...100).reduce(0, +)
print("total", total)
check(total == 5050, "Gauss's sum of the first hundred numbers")
```
""",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    for name, text in PROJECT.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    # A build first: the exports after it run nothing again (outputs come from the cache).
    built = subprocess.run([FOLIO, "build", "--quiet"], cwd=root, capture_output=True, text=True, env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    return root, env


def export(project, *args):
    root, env = project
    run = subprocess.run([FOLIO, "export", *args], cwd=root, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    return run


def document_xml(path):
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode(), [n for n in z.namelist() if n.startswith("word/media/")]


def test_docx_has_word_equations_figures_tables_references_citations_and_claims(project):
    root, env = project
    run = export(project, "--to", "docx", "--out", "out/report.docx", "--report", "out/r.json")
    assert "claims hold" in run.stderr
    # After the build, the export ran nothing: every output came from the cache.
    report = json.loads((root / "out/r.json").read_text())
    assert [n["executed"] for n in report["notebooks"]] == [False, False]
    xml, media = document_xml(root / "out/report.docx")
    # Formulas are native Word math (OMML), inline and display.
    assert xml.count("<m:oMath>") == 2 and xml.count("<m:oMathPara>") == 1
    # The one figure is an embedded picture: its SVG, with a PNG for Word before 2016.
    assert sorted(m.rsplit(".", 1)[1] for m in media) == ["png", "svg"]
    # Colours are written out (Word and librsvg read no CSS variables), so the line is not black.
    with zipfile.ZipFile(root / "out/report.docx") as z:
        svg = z.read(next(m for m in media if m.endswith(".svg"))).decode()
    assert "var(--" not in svg and "#0072b2" in svg
    assert xml.count("<pic:pic") == 1 and xml.count("svgBlip") == 1
    # Tables are Word tables: the cell's table and the prose's.
    assert xml.count("<w:tbl>") == 2
    text = subprocess.run(["pandoc", "-t", "plain", "--wrap=none", str(root / "out/report.docx")],
                          capture_output=True, text=True, check=True).stdout
    assert "Figure 1.1: Squares of the first ten numbers" in text
    assert "As Figure 1.1 shows and Table 1.1 lists" in text
    assert "see Equation (1.1)" in text
    assert "Table 1.2: Letters and numbers" in text
    assert "(Gauss 1801)" in text and "Disquisitiones Arithmeticae" in text
    assert "✓ holds: three squared is nine" in text and "✓ holds: Gauss's sum" in text
    # Cross-references across notebooks, chapters in the project's order.
    assert "Back in Figure 1.1 the squares grew" in text
    assert text.index("Growth") < text.index("Sums")
    # Escaped text stays text.
    assert "A literal asterisk * and a dollar sign $5 stay text." in text
    # The code is there unless asked not to be.
    assert "(1...10).map(Double.init)" in text
    assert "printed 9" in text


def test_docx_without_code_keeps_outputs_and_is_reproducible(project):
    root, _ = project
    export(project, "--to", "docx", "--no-code", "--out", "out/a.docx")
    export(project, "--to", "docx", "--no-code", "--out", "out/b.docx")
    assert (root / "out/a.docx").read_bytes() == (root / "out/b.docx").read_bytes()
    text = subprocess.run(["pandoc", "-t", "plain", "--wrap=none", str(root / "out/a.docx")], capture_output=True, text=True, check=True).stdout
    assert "(1...10).map" not in text and "printed 9" in text and "✓ holds: three squared is nine" in text


def test_docx_uses_the_projects_reference_document(project, tmp_path):
    root, env = project
    styled = tmp_path / "styled"
    shutil.copytree(root, styled)
    # A reference document whose Normal style is 17 pt: the export's styles come from it.
    reference = subprocess.run(["pandoc", "--print-default-data-file", "reference.docx"], capture_output=True, check=True).stdout
    (styled / "styles.docx").write_bytes(restyled(reference))
    with open(styled / "folio.yml", "a") as f:
        f.write("docx:\n  reference: styles.docx\n")
    run = subprocess.run([FOLIO, "export", "--to", "docx", "--out", "styled.docx"], cwd=styled, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(styled / "styled.docx") as z:
        assert 'w:val="34"' in z.read("word/styles.xml").decode()


def restyled(reference_docx):
    import io
    source = zipfile.ZipFile(io.BytesIO(reference_docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/styles.xml":
                data = re.sub(rb'(<w:docDefaults>.*?<w:sz w:val=")\d+', rb"\g<1>34", data, count=1, flags=re.S)
            z.writestr(item, data)
    return out.getvalue()


def test_docx_reference_that_does_not_exist_is_an_error_at_its_line(project, tmp_path):
    root, env = project
    broken = tmp_path / "broken"
    shutil.copytree(root, broken)
    with open(broken / "folio.yml", "a") as f:
        f.write("docx:\n  reference: missing.docx\n")
    run = subprocess.run([FOLIO, "export", "--to", "docx"], cwd=broken, capture_output=True, text=True, env=env)
    assert run.returncode == 2
    assert re.search(r"folio\.yml:8:\d+: error: .*missing\.docx does not exist", run.stderr), run.stderr
    assert not (broken / "report.docx").exists()


def test_missing_pandoc_is_a_clear_error_naming_the_package(project):
    root, env = project
    path = ":".join(p for p in env["PATH"].split(":") if not os.path.exists(os.path.join(p, "pandoc")))
    run = subprocess.run([FOLIO, "export", "--to", "docx", "--out", "nopandoc.docx"], cwd=root, capture_output=True, text=True,
                         env=dict(env, PATH=path))
    assert run.returncode == 2 and "install Debian's `pandoc` package" in run.stderr, run.stderr
    assert not (root / "nopandoc.docx").exists()


def test_ipynb_validates_converts_to_html_and_keeps_outputs(project):
    root, _ = project
    run = export(project, "--to", "ipynb", "--out", "nb")
    assert "2 Jupyter notebooks" in run.stderr
    first = nbformat.read(root / "nb/growth.ipynb", as_version=4)
    nbformat.validate(first)
    nbformat.validate(nbformat.read(root / "nb/sums.ipynb", as_version=4))
    assert first.metadata.kernelspec.language == "swift" and first.metadata.folio.source == "notebooks/growth.md"
    code = [c for c in first.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2]
    prose = "".join(c.source for c in first.cells if c.cell_type == "markdown")
    assert prose.startswith("# 1 Growth")
    assert "$E = mc^2$" in prose and "\\tag{1.1}" in prose
    assert "As Figure 1.1 shows and Table 1.1 lists" in prose and "(Gauss 1801)" in prose
    assert "| left | right |" in prose and ":---|---:|" in prose.replace(" ", "")
    figure = code[0].outputs[0]
    assert figure.output_type == "display_data" and figure.data["image/svg+xml"].startswith("<svg")
    kinds = [o.output_type for o in code[1].outputs]
    assert kinds[:2] == ["display_data", "stream"], kinds
    assert "<table" in code[1].outputs[0].data["text/html"]
    claims = [o for o in code[1].outputs if o.get("metadata", {}).get("folio", {}).get("claim")]
    assert [c.data["text/plain"] for c in claims] == ["✓ holds: three squared is nine"]
    # nbconvert renders it, figure and table included.
    html, _ = HTMLExporter().from_notebook_node(first)
    svg = re.search(r'data-mime-type="image/svg\+xml"[^>]*>\s*<img [^>]*src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert svg and base64.b64decode(svg.group(1)).decode().startswith("<svg")
    assert "<table" in html and "three squared is nine" in html


def test_ipynb_is_reproducible(project):
    root, _ = project
    export(project, "--to", "ipynb", "--out", "nb1")
    export(project, "--to", "ipynb", "--out", "nb2")
    for name in ("growth.ipynb", "sums.ipynb"):
        assert (root / "nb1" / name).read_bytes() == (root / "nb2" / name).read_bytes()
        json.loads((root / "nb1" / name).read_text())


def test_markdown_is_what_pandoc_reads_with_its_figures(project):
    root, _ = project
    export(project, "--to", "markdown", "--out", "md")
    text = (root / "md/report.md").read_text()
    assert text.startswith('---\ntitle: "Squares and sums"\nauthor: "A. Tester"\n')
    assert "![**Figure 1.1**: Squares of the first ten numbers](figure-1.svg){#fig-growth width=640px}" in text
    assert (root / "md/figure-1.svg").read_text().startswith("<svg")
    html = subprocess.run(["pandoc", "report.md", "-t", "html"], cwd=root / "md", capture_output=True, text=True, check=True).stdout
    assert '<figure id="fig-growth">' in html or 'id="fig-growth"' in html
    assert "<table" in html and 'class="math display"' in html
