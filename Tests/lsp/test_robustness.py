"""`folio lsp` against input no editor should send: it answers with LSP errors and keeps serving,
writes nothing outside `.folio/`, and ends when its client goes away. Raw bytes, so nothing
between the test and the server can tidy them up."""
import json
import os
import subprocess
import time

from conftest import FOLIO, uri


class Raw:
    def __init__(self, folder):
        self.p = subprocess.Popen([FOLIO, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=folder)

    def send_bytes(self, body: bytes):
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()

    def send(self, obj):
        self.send_bytes(json.dumps(obj).encode())

    def recv(self):
        headers = {}
        while True:
            line = self.p.stdout.readline()
            assert line, "the server closed its output"
            if line == b"\r\n":
                break
            k, v = line.decode().split(":", 1)
            headers[k.strip().lower()] = v.strip()
        return json.loads(self.p.stdout.read(int(headers["content-length"])))

    def answer(self, id):
        while True:
            m = self.recv()
            if m.get("id") == id and "method" not in m:
                return m


def snapshot(folder):
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        rel = os.path.relpath(dirpath, folder)
        if rel == ".folio" or rel.startswith(".folio" + os.sep):
            continue
        for f in filenames:
            path = os.path.join(dirpath, f)
            out[os.path.relpath(path, folder)] = (os.path.getsize(path), os.path.getmtime(path))
    return out


def test_bad_input_gets_errors_and_the_server_keeps_serving(project):
    before = snapshot(project)
    s = Raw(project)
    # Before initialize: refused as not initialized.
    s.send({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {}})
    assert s.answer(1)["error"]["code"] == -32002
    s.send({"jsonrpc": "2.0", "id": 2, "method": "initialize", "params": {"rootUri": uri(project), "capabilities": {}}})
    assert "capabilities" in s.answer(2)["result"]
    s.send_bytes(b"{this is not json")
    assert s.recv()["error"]["code"] == -32700
    s.send_bytes(b"[1, 2, 3]")
    assert s.recv()["error"]["code"] == -32700
    s.send({"jsonrpc": "2.0", "id": 3, "method": "folio/unknown", "params": {}})
    assert s.answer(3)["error"]["code"] == -32601
    s.send({"jsonrpc": "2.0", "id": 4, "method": "textDocument/definition",
            "params": {"textDocument": {"uri": uri(project / "notebooks" / "decay.md")}, "position": {"line": 0, "character": 0}}})
    assert s.answer(4)["error"]["code"] == -32602
    s.send({"jsonrpc": "2.0", "id": 5, "method": "textDocument/completion", "params": {"textDocument": "nonsense"}})
    assert s.answer(5)["error"]["code"] == -32602
    doc = uri(project / "notebooks" / "use.md")
    s.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": doc, "languageId": "markdown", "version": 1, "text": "# Use\n\nSee @fig-decay.\n"}}})
    # An edit past the end: reported, the document unchanged, the server serving.
    s.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": doc, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 90, "character": 0}, "end": {"line": 95, "character": 0}}, "text": "x"}]}})
    s.send({"jsonrpc": "2.0", "id": 6, "method": "textDocument/completion",
            "params": {"textDocument": {"uri": doc}, "position": {"line": 2, "character": 6}}})
    labels = [i["label"] for i in s.answer(6)["result"]["items"]]
    assert "fig-decay" in labels
    s.send({"jsonrpc": "2.0", "id": 7, "method": "shutdown"})
    assert s.answer(7)["result"] is None
    s.send({"jsonrpc": "2.0", "method": "exit"})
    assert s.p.wait(timeout=10) == 0
    assert snapshot(project) == before, "the server wrote outside .folio/"


def test_it_ends_when_its_client_goes_away(project):
    s = Raw(project)
    s.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": uri(project), "capabilities": {}}})
    s.answer(1)
    started = time.monotonic()
    s.p.stdin.close()
    status = s.p.wait(timeout=10)
    assert status == 1, "no shutdown was asked for, so the exit status is 1"
    assert time.monotonic() - started < 10
