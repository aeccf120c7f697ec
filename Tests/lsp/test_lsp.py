"""End-to-end tests of `folio lsp` through pytest-lsp's client."""
import asyncio
import time

from lsprotocol import types
from conftest import uri


async def open_doc(client, path, text=None, version=1):
    text = path.read_text() if text is None else text
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri(path), language_id="markdown", version=version, text=text)))
    return text


async def diagnostics_until(client, path, condition, timeout=30.0):
    """Waits for published diagnostics of `path` that satisfy `condition`; returns them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = client.diagnostics.get(uri(path))
        if found is not None and condition(found):
            return found
        try:
            await asyncio.wait_for(client.wait_for_notification("textDocument/publishDiagnostics"), timeout=max(0.1, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            break
    raise AssertionError(f"no diagnostics of {path.name} as expected; last: {client.diagnostics.get(uri(path))}")


def change(client, path, version, line, start, end, text, end_line=None):
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=line, character=start),
                              end=types.Position(line=line if end_line is None else end_line, character=end)),
            text=text)]))


def messages(diags):
    return [(d.range.start.line, d.message) for d in diags]


async def test_problems_appear_where_a_build_reports_them_and_unsaved_labels_resolve(client):
    project = client.project
    use = project / "notebooks" / "use.md"
    decay = project / "notebooks" / "decay.md"
    await open_doc(client, use, "# Use\n\nSee @fig-growth and @fig-decay.\n\n```swift\n//| colour: red\nlet a = 1\n```\n")
    found = await diagnostics_until(client, use, lambda d: any("fig-growth" in m for _, m in messages(d)))
    lines = dict((m.split("`")[1] if "`" in m else m, l) for l, m in messages(found))
    assert lines.get("@fig-growth") == 2, messages(found)
    assert lines.get("colour") == 5, messages(found)
    assert all(d.severity in (types.DiagnosticSeverity.Error, types.DiagnosticSeverity.Warning) for d in found)

    # A label typed into another notebook, not saved: the reference resolves.
    text = await open_doc(client, decay)
    lines_of_decay = text.split("\n")
    fence = lines_of_decay.index("//| label: fig-decay")
    change(client, decay, 2, fence, 11, 20, "fig-growth")
    found = await diagnostics_until(client, use, lambda d: not any("fig-growth" in m for _, m in messages(d)))
    assert any("fig-decay" in m for _, m in messages(found)), "the old label is gone in the unsaved buffer"
    assert (decay.read_text() == text), "the server never writes a notebook"


async def test_a_swift_error_typed_into_a_cell_is_published_at_its_line(client):
    decay = client.project / "notebooks" / "decay.md"
    text = await open_doc(client, decay)
    line = text.split("\n").index("let halfLife = 2.0")
    change(client, decay, 2, line, 0, len("let halfLife = 2.0"), 'let halfLife: Double = "two"')
    started = time.monotonic()
    found = await diagnostics_until(client, decay, lambda d: any(x.severity == types.DiagnosticSeverity.Error and x.range.start.line == line for x in d), timeout=60)
    error = next(x for x in found if x.range.start.line == line)
    assert "String" in error.message and "Double" in error.message, error.message
    assert error.code == "compile"
    print(f"compile error published {time.monotonic() - started:.2f} s after the change")

    # Fixed again: the error goes.
    change(client, decay, 3, line, 0, len('let halfLife: Double = "two"'), "let halfLife = 2.0")
    await diagnostics_until(client, decay, lambda d: not any(x.severity == types.DiagnosticSeverity.Error for x in d), timeout=60)


async def test_after_a_save_failed_claims_are_diagnostics_and_claims_are_inlay_hints(client):
    decay = client.project / "notebooks" / "decay.md"
    text = decay.read_text().replace("< 1e-12", "> 1")
    decay.write_text(text)
    await open_doc(client, decay, text)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri(decay))))
    line = next(i for i, l in enumerate(text.split("\n")) if l.startswith("check("))
    found = await diagnostics_until(client, decay, lambda d: any(x.code == "claimFailed" for x in d), timeout=120)
    claim = next(x for x in found if x.code == "claimFailed")
    assert claim.range.start.line == line and "half remains" in claim.message, claim
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=uri(decay)),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=len(text.split("\n")), character=0))))
    assert [h.position.line for h in hints] == [line]
    assert hints[0].label.startswith("✗")

    # Fixed and saved: the claim holds.
    fixed = text.replace("> 1", "< 1e-12")
    decay.write_text(fixed)
    change(client, decay, 2, 0, 0, 0, "")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(decay), version=3),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)]))
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri(decay))))
    await diagnostics_until(client, decay, lambda d: not any(x.code == "claimFailed" for x in d), timeout=120)
    for _ in range(100):
        hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=uri(decay)),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=60, character=0))))
        if hints and hints[0].label == "✓ holds":
            break
        await asyncio.sleep(0.1)
    assert [h.label for h in hints] == ["✓ holds"]


async def completion_labels(client, path, line, character):
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(path)), position=types.Position(line=line, character=character)))
    items = result.items if hasattr(result, "items") else result
    return {i.label: i for i in items}


async def test_completion_offers_labels_citations_keys_and_cell_options(client):
    use = client.project / "notebooks" / "use.md"
    text = "---\ntit\n---\n# Use\n\nAs @ shows [@cu] and @eq-\n\n```swift\n//| cap\n```\n{{< embed decay.md#fig >}}\n"
    await open_doc(client, use, text)
    started = time.monotonic()
    labels = await completion_labels(client, use, 5, 4)
    elapsed = time.monotonic() - started
    assert {"fig-decay", "eq-decay", "thm-half"} <= set(labels), labels
    assert labels["fig-decay"].detail.startswith("Figure 1"), labels["fig-decay"]
    assert labels["fig-decay"].documentation == "Remaining fraction"
    print(f"label completion answered in {elapsed * 1000:.0f} ms")
    assert set(await completion_labels(client, use, 5, 23)) == {"eq-decay"}
    # Citation keys come from the notebook's bibliography; use.md has none, decay.md has one.
    assert await completion_labels(client, use, 5, 15) == {}
    front = await completion_labels(client, use, 1, 3)
    assert set(front) == {"title"}
    options = await completion_labels(client, use, 8, 7)
    assert set(options) == {"caption"}
    embed = await completion_labels(client, use, 10, 22)
    assert set(embed) == {"fig-decay"}

    decay = client.project / "notebooks" / "decay.md"
    text = await open_doc(client, decay)
    line = next(i for i, l in enumerate(text.split("\n")) if "[@curie1898]" in l)
    column = text.split("\n")[line].index("[@curie1898]") + 4
    cites = await completion_labels(client, decay, line, column)
    assert set(cites) == {"curie1898"} and "1898" in cites["curie1898"].detail


async def test_navigation_definition_references_symbols_and_hover(client):
    project = client.project
    decay = project / "notebooks" / "decay.md"
    use = project / "notebooks" / "use.md"
    decay_text = await open_doc(client, decay)
    use_text = await open_doc(client, use)
    decay_lines = decay_text.split("\n")
    label_line = decay_lines.index("//| label: fig-decay")

    # From `@fig-decay` in use.md to the labelled cell in decay.md.
    ref_line = use_text.split("\n").index("The figure @fig-decay again.")
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(use)), position=types.Position(line=ref_line, character=15)))
    assert [(l.uri, l.range.start.line) for l in found] == [(uri(decay), label_line)]

    # From the embed line to the same cell; from a citation to its BibTeX entry.
    embed_line = use_text.split("\n").index("{{< embed decay.md#fig-decay >}}")
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(use)), position=types.Position(line=embed_line, character=12)))
    assert [(l.uri, l.range.start.line) for l in found] == [(uri(decay), label_line)]
    cite_line = next(i for i, l in enumerate(decay_lines) if "[@curie1898]" in l)
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(decay)),
        position=types.Position(line=cite_line, character=decay_lines[cite_line].index("curie1898") + 2)))
    assert [(l.uri, l.range.start.line) for l in found] == [(uri(project / "notebooks" / "refs.bib"), 0)]

    # Every reference to fig-decay, in both notebooks, and the label itself.
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri=uri(use)), position=types.Position(line=ref_line, character=15),
        context=types.ReferenceContext(include_declaration=True)))
    places = sorted((l.uri.rsplit("/", 1)[1], l.range.start.line) for l in refs)
    decay_ref = next(i for i, l in enumerate(decay_lines) if "@fig-decay shows" in l)
    assert places == sorted([("decay.md", label_line), ("decay.md", decay_ref), ("use.md", ref_line)]), places

    # The outline: headings with what they hold.
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=uri(decay))))
    assert [s.name for s in symbols] == ["Decay"]
    inside = [c.name for c in symbols[0].children]
    assert inside[:3] == ["fig-decay", "thm-half", "eq-decay"] and "Later" in inside, inside

    # Hover on a reference shows what it points to.
    later = decay_lines.index("See @eq-decay and @thm-half.")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri(decay)), position=types.Position(line=later, character=7)))
    assert "Equation (1)" in hover.contents.value and "2^{-t/h}" in hover.contents.value, hover.contents.value
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri(decay)), position=types.Position(line=later, character=22)))
    assert "Halving" in hover.contents.value and "half-lives" in hover.contents.value and "2^{-n}" in hover.contents.value, hover.contents.value


async def test_errors_for_requests_it_cannot_serve(client):
    project = client.project
    never_opened = project / "notebooks" / "decay.md"
    try:
        await client.text_document_definition_async(types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(never_opened)), position=types.Position(line=0, character=0)))
        raise AssertionError("a request for a document that is not open was answered")
    except Exception as e:
        assert "not open" in str(e), e
    use = project / "notebooks" / "use.md"
    await open_doc(client, use)
    # An edit past the end is refused, and the document stays as it was.
    change(client, use, 2, 400, 0, 0, "far away")
    labels = await completion_labels(client, use, 2, 12)
    assert "fig-decay" in labels


async def test_project_file_completion_and_going_to_an_exported_value(client):
    project = client.project
    yml = project / "folio.yml"
    text = "title: Editing\nnotebooks: notebooks\npa\npaper: l\nprofiles:\n  quick:\n    params:\n      st\n"
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri(yml), language_id="yaml", version=1, text=text)))
    # `pa` alone is not a `key: value` line: the YAML error is reported where the scanner finds it.
    found = await diagnostics_until(client, yml, lambda d: any("not valid YAML" in m for _, m in messages(d)))
    assert all(l in (2, 3) for l, _ in messages(found)), messages(found)
    assert set(await completion_labels(client, yml, 2, 2)) == {"packages", "paper", "params"}
    assert set(await completion_labels(client, yml, 3, 8)) == {"letter"}
    names = await completion_labels(client, yml, 7, 8)
    assert set(names) == {"steps"} and "Int" in names["steps"].detail

    consume = project / "notebooks" / "consume.md"
    text = await open_doc(client, consume)
    line = next(i for i, l in enumerate(text.split("\n")) if "imported(" in l)
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(consume)), position=types.Position(line=line, character=20)))
    decay_lines = (project / "notebooks" / "decay.md").read_text().split("\n")
    assert [(l.uri, l.range.start.line) for l in found] == [(uri(project / "notebooks" / "decay.md"), decay_lines.index('export("halfLife", halfLife)'))]


async def test_labels_citations_bibliographies_and_cycles_are_checked_across_notebooks(client):
    project = client.project
    a = project / "notebooks" / "a.md"
    b = project / "notebooks" / "b.md"
    a.write_text('# A\n\n```swift\n//| label: fig-decay\nlet x = imported("b.md", "y", as: Int.self)\nexport("x", x)\n```\n\nAs [@nobody2020] says.\n')
    b.write_text('# B\n\n```swift\nlet y = imported("a.md", "x", as: Int.self)\nexport("y", y)\n```\n')
    await open_doc(client, a)
    found = await diagnostics_until(client, a, lambda d: any("nobody2020" in m for _, m in messages(d)))
    text = messages(found)
    assert any(l == 3 and "fig-decay" in m for l, m in text), text          # the label decay.md has too
    assert any(l == 8 and "unknown citation key" in m for l, m in text), text
    assert any("cycle" in m or "import" in m for _, m in text), text        # a imports b imports a

    # A bibliography that does not parse stops the notebook; the message names the .bib line.
    (project / "notebooks" / "refs.bib").write_text("@article{broken,\n  title = {no end\n")
    decay = project / "notebooks" / "decay.md"
    await open_doc(client, decay)
    found = await diagnostics_until(client, decay, lambda d: any("BibTeX" in m for _, m in messages(d)))
    assert any(m.startswith("notebooks/refs.bib") or "refs.bib" in m for _, m in messages(found)), messages(found)
