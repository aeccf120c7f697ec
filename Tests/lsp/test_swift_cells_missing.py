"""Without sourcekit-lsp the notebook features go on and the Swift ones say why, once."""
import os
import pathlib
import tempfile

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import FOLIO, PROJECT, uri
from test_lsp import completion_labels, open_doc
from test_swift_cells import toolchain_without_sourcekit

TMP = pathlib.Path(tempfile.mkdtemp(prefix="folio-lsp-no-sourcekit-"))
TOOLCHAIN = toolchain_without_sourcekit(TMP)
ENV = dict(os.environ, FOLIO_SWIFTC=str(TOOLCHAIN / "swiftc"), PATH="/usr/bin:/bin")


def server_with(env):
    """A client of `folio lsp` started with `env`, initialized on the test's project."""
    @pytest_lsp.fixture(config=ClientServerConfig(server_command=[FOLIO, "lsp"], server_env=env))
    async def fixture(lsp_client: LanguageClient, project):
        await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities("neovim"), root_uri=uri(project)))
        lsp_client.project = project
        yield
        await lsp_client.shutdown_session()
    return fixture


client = server_with(ENV)


async def test_without_sourcekit_the_notebook_features_go_on(client):
    nb = client.project / "notebooks" / "decay.md"
    text = await open_doc(client, nb)
    lines = text.split("\n")
    cell = lines.index("let halfLife = 2.0")
    for _ in range(2):
        result = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(nb)), position=types.Position(line=cell, character=8)))
        assert result is None or not getattr(result, "items", result)
    said = [m.message for m in client.messages if "sourcekit-lsp" in m.message]
    assert len(said) == 1 and "not found" in said[0], said
    # The notebook's own completion still answers.
    ref = next(i for i, l in enumerate(lines) if "@fig-decay shows" in l)
    labels = await completion_labels(client, nb, ref, lines[ref].index("@fig-decay") + 2)
    assert "fig-decay" in labels


CRASHING = pathlib.Path(tempfile.mkdtemp(prefix="folio-lsp-crashing-sourcekit-"))
CRASH_TOOLCHAIN = toolchain_without_sourcekit(CRASHING)
STARTS = CRASHING / "starts.log"
(CRASH_TOOLCHAIN / "sourcekit-lsp").write_text(f"#!/bin/sh\necho started >> {STARTS}\nexit 3\n")
(CRASH_TOOLCHAIN / "sourcekit-lsp").chmod(0o755)
CRASH_ENV = dict(os.environ, FOLIO_SWIFTC=str(CRASH_TOOLCHAIN / "swiftc"), PATH="/usr/bin:/bin")


crashing = server_with(CRASH_ENV)


async def test_a_sourcekit_that_stops_is_started_again_once(crashing):
    client = crashing
    nb = client.project / "notebooks" / "decay.md"
    text = await open_doc(client, nb)
    cell = text.split("\n").index("let halfLife = 2.0")
    for _ in range(4):
        await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(nb)), position=types.Position(line=cell, character=6)))
    assert STARTS.read_text().count("started") == 2, "started once, and again once after it stopped"
    said = [m.message for m in client.messages if "sourcekit-lsp" in m.message]
    assert len(said) == 1, said
