"""Inside a ```swift cell the editor behaves as in a Swift package: `folio lsp` hands the
notebook's generated program to the toolchain's sourcekit-lsp and maps positions both ways."""
import time

from lsprotocol import types
from conftest import uri
from test_lsp import open_doc

NOTEBOOK = """# Cells

```swift
func double(_ x: Double) -> Double { 2 * x }
```

Some prose between the cells.

```swift
let m = Matrix.identity(3)
let total = 41
```

```swift
print(total)
```

```swift
let d = double(3)
m.
```
"""


def position(text, needle, offset=0):
    lines = text.split("\n")
    line = next(i for i, l in enumerate(lines) if needle in l)
    return types.Position(line=line, character=lines[line].index(needle) + offset)


async def test_completion_hover_and_definition_inside_cells(client):
    nb = client.project / "notebooks" / "cells.md"
    nb.write_text(NOTEBOOK)
    await open_doc(client, nb)
    doc = types.TextDocumentIdentifier(uri=uri(nb))

    started = time.monotonic()
    result = await client.text_document_completion_async(types.CompletionParams(text_document=doc, position=position(NOTEBOOK, "m.", 2)))
    first = time.monotonic() - started
    labels = [i.label for i in (result.items if hasattr(result, "items") else result or [])]
    assert any(l.startswith("svd") for l in labels) and any(l.startswith("rank") for l in labels), labels[:40]
    print(f"first completion in a cell: {first:.2f} s")

    # A variable declared in an earlier cell: its type.
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc, position=position(NOTEBOOK, "print(total)", 7)))
    assert hover is not None and "Int" in str(hover.contents), hover

    # A function three cells earlier: its line in the .md.
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc, position=position(NOTEBOOK, "double(3)", 2)))
    places = [(l.uri, l.range.start.line) for l in (found if isinstance(found, list) else [found])]
    assert (uri(nb), NOTEBOOK.split("\n").index("func double(_ x: Double) -> Double { 2 * x }")) in places, places

    # Cell options are the notebook's, not Swift's.
    nb2 = client.project / "notebooks" / "options.md"
    text = "# O\n\n```swift\n//| ec\nlet a = 1\n```\n"
    await open_doc(client, nb2, text)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(nb2)), position=types.Position(line=3, character=6)))
    assert [i.label for i in result.items] == ["echo"]


async def test_definition_of_a_shared_helper_opens_its_file(client):
    project = client.project
    (project / "swift").mkdir()
    (project / "swift" / "Helpers.swift").write_text("/// Three times.\nfunc triple(_ x: Int) -> Int {\n    3 * x\n}\n")
    nb = project / "notebooks" / "shared.md"
    text = "# Shared\n\n```swift\nlet t = triple(4)\nprint(t)\n```\n"
    nb.write_text(text)
    await open_doc(client, nb)
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(nb)), position=types.Position(line=3, character=10)))
    places = [(l.uri, l.range.start.line) for l in (found if isinstance(found, list) else [found])]
    assert places == [(uri(project / "swift" / "Helpers.swift"), 1)], places


def toolchain_without_sourcekit(tmp):
    """A folder with swiftc (and swift, for SwiftPM) but no sourcekit-lsp, as on a machine without it."""
    import shutil, os
    real = shutil.which("swiftc")
    folder = tmp / "toolchain"
    folder.mkdir()
    for name in ("swiftc", "swift", "swift-frontend", "swift-driver"):
        target = os.path.join(os.path.dirname(os.path.realpath(real)), name)
        if os.path.exists(target):
            (folder / name).symlink_to(target)
    return folder


async def test_a_symbol_from_a_package_completes(client_with_packages):
    client = client_with_packages
    nb = client.project / "notebooks" / "rotations.md"
    text = "# Rotations\n\n```swift\nimport Numerics\nvar z = Complex<Double>(2, 1)\nlet w = Compl\n```\n"
    nb.write_text(text)
    await open_doc(client, nb, text)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(nb)), position=types.Position(line=5, character=13)))
    labels = [i.label for i in (result.items if hasattr(result, "items") else result or [])]
    assert "Complex" in labels, labels[:30]


async def test_semantic_tokens_of_the_cells(client):
    nb = client.project / "notebooks" / "cells.md"
    nb.write_text(NOTEBOOK)
    await open_doc(client, nb)
    result = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(
        text_document=types.TextDocumentIdentifier(uri=uri(nb))))
    legend = client.initialized_with.capabilities.semantic_tokens_provider.legend.token_types
    tokens, line, char = [], 0, 0
    data = result.data
    for i in range(0, len(data), 5):
        if data[i]:
            line += data[i]; char = data[i + 1]
        else:
            char += data[i + 1]
        tokens.append((line, char, data[i + 2], legend[data[i + 3]]))
    lines = NOTEBOOK.split("\n")
    func = lines.index("func double(_ x: Double) -> Double { 2 * x }")
    assert (func, 0, 4, "keyword") in tokens and (func, 17, 6, "struct") in tokens, tokens
    use = lines.index("let d = double(3)")
    assert any(t[0] == use and t[1] == 8 and t[3] in ("function", "method") for t in tokens), tokens
    printed = lines.index("print(total)")
    on_line = [t for t in tokens if t[0] == printed]
    assert (printed, 6, 5, "variable") in on_line and all(t[1] + t[2] <= len("print(total)") for t in on_line), on_line   # nothing of Folio's wrapper
    prose = lines.index("Some prose between the cells.")
    assert not any(t[0] == prose for t in tokens)


async def test_prose_typed_above_a_cell_moves_nothing_and_references_span_cells(client):
    nb = client.project / "notebooks" / "cells.md"
    nb.write_text(NOTEBOOK)
    await open_doc(client, nb)
    doc = types.TextDocumentIdentifier(uri=uri(nb))
    # Three lines of prose typed at the top, not saved: the cells' lines move, the answers follow.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(nb), version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=1, character=0), end=types.Position(line=1, character=0)),
            text="A new paragraph,\nwritten above\nevery cell.\n")]))
    text = NOTEBOOK.replace("# Cells\n", "# Cells\nA new paragraph,\nwritten above\nevery cell.\n", 1)
    lines = text.split("\n")
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc, position=position(text, "double(3)", 2)))
    places = [(l.uri, l.range.start.line) for l in (found if isinstance(found, list) else [found])]
    assert (uri(nb), lines.index("func double(_ x: Double) -> Double { 2 * x }")) in places, places

    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc, position=position(text, "let total = 41", 5), context=types.ReferenceContext(include_declaration=True)))
    at = sorted({(l.range.start.line, l.range.start.character) for l in refs if l.uri == uri(nb)})
    assert (lines.index("let total = 41"), 4) in at and (lines.index("print(total)"), 6) in at, at

    help = await client.text_document_signature_help_async(types.SignatureHelpParams(
        text_document=doc, position=position(text, "double(3)", 7)))
    assert help is not None and any("double" in s.label for s in help.signatures), help
