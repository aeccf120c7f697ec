"""The guide (docs/) after `make test` built it: every chapter ran with every claim holding, and no
Swift example in the guide or the README is anything but a cell that ran — an example a reader
copies is code Folio compiled and ran with this very build."""
import json
import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
REPORT = Path(os.environ.get("GUIDE_REPORT", REPO / ".build" / "docs-report.json"))
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")


def fences(text, first_line=1, nested=False):
    """Every fenced code block as (line of its opening fence, info word, code, nested), nested
    blocks (a Swift cell shown inside a ````markdown example) included."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or (m.group(2)[0] == "`" and "`" in m.group(3)):
            i += 1
            continue
        indent, fence, info = len(m.group(1)), m.group(2), m.group(3).strip()
        body, j = [], i + 1
        while j < len(lines):
            close = FENCE.match(lines[j])
            if close and close.group(2)[0] == fence[0] and len(close.group(2)) >= len(fence) and not close.group(3).strip():
                break
            body.append(lines[j][indent:] if lines[j][:indent].strip() == "" else lines[j].lstrip())
            j += 1
        code = "\n".join(body)
        yield first_line + i, (info.split() or [""])[0], code, nested
        if (info.split() or [""])[0] in ("markdown", "md"):
            yield from fences(code, first_line + i + 1, nested=True)
        i = j + 1


def swift_code(code):
    """A cell's Swift without its `//|` option lines, for comparing an example with a cell."""
    return "\n".join(l for l in code.strip().split("\n") if not l.lstrip().startswith("//|")).strip()


def guide_chapters():
    return sorted((DOCS / "guide").glob("*.md"))


def load_report():
    assert REPORT.exists(), f"{REPORT} is missing: build the guide first (make test or make docs)"
    return json.loads(REPORT.read_text())


def test_every_chapter_ran_and_every_claim_holds():
    report = load_report()
    assert report["ok"], "the guide's build failed"
    built = {n["source"] for n in report["notebooks"]}
    for chapter in guide_chapters():
        assert f"guide/{chapter.name}" in built, f"{chapter.name} is not in docs/folio.yml"
    for notebook in report["notebooks"]:
        assert notebook["status"] == "ok", notebook["source"]
        assert notebook["checks"]["failed"] == 0, notebook["source"]
    assert sum(n["checks"]["passed"] for n in report["notebooks"]) >= 25


def test_every_swift_example_in_the_guide_is_a_cell_that_ran():
    report = load_report()
    ran = {}  # (source, fence line) → statuses over a sweep's sets
    for notebook in report["notebooks"]:
        for cell in notebook["cells"]:
            if cell["language"] == "swift":
                ran.setdefault((notebook["source"], cell["line"]), set()).add(cell["status"])
    cells, examples = [], []
    for chapter in guide_chapters():
        for line, language, code, nested in fences(chapter.read_text()):
            if language != "swift":
                continue
            place = f"docs/guide/{chapter.name}:{line}"
            if nested:
                examples.append((place, code))
                continue
            # The report places a cell at its first line inside the fence.
            statuses = ran.get((f"guide/{chapter.name}", line + 1))
            assert statuses, f"{place}: a Swift block the build did not see as a cell"
            expected = "error" if re.search(r"^//\|\s*error:\s*true", code, re.M) else "ok"
            assert statuses == {expected}, f"{place}: the cell's status was {statuses}, not {expected}"
            cells.append(swift_code(code))
    assert len(cells) >= 20
    for place, code in examples:
        assert swift_code(code) in cells, f"{place}: a Swift example shown in Markdown that is not also a cell that ran"


def test_every_swift_example_in_the_readme_is_a_cell_of_the_guide_that_ran():
    report = load_report()
    cells = set()
    for chapter in guide_chapters():
        for line, language, code, nested in fences(chapter.read_text()):
            if language == "swift" and not nested:
                cells.add(swift_code(code))
    examples = [(line, code) for line, language, code, _ in fences((REPO / "README.md").read_text()) if language == "swift"]
    assert examples, "the README shows no Swift: its tour should"
    for line, code in examples:
        assert swift_code(code) in cells, f"README.md:{line}: a Swift example that is not a cell of the guide"


def test_the_fence_reader_sees_nested_and_top_level_blocks():
    # The checks above are only as good as this reader: a nested Swift example must be found as one.
    text = "a\n\n````markdown\n```swift\nlet x = 1\n```\n````\n\n```swift\n//| echo: false\nlet y = 2\n```\n"
    found = list(fences(text))
    assert [(l, lang, nested) for l, lang, _, nested in found] == [(3, "markdown", False), (4, "swift", True), (9, "swift", False)]
    assert swift_code(found[2][2]) == "let y = 2"
