"""`folio lsp` driven by pytest-lsp's client (pygls and lsprotocol from PyPI), as an editor would:
the server is started by each test on a fresh copy of a small project, over stdio."""
import os
import pathlib
import shutil
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Absolute: the servers start in the test's project folder.
FOLIO = os.path.abspath(os.environ.get("FOLIO_BIN", str(ROOT / ".build" / "debug" / "folio")))

PROJECT = {
    "folio.yml": "title: Editing\nnotebooks: notebooks\n",
    "notebooks/decay.md": """---
title: Decay
bibliography: refs.bib
params:
  steps: 4
---
# Decay

Half of it is gone after one half-life, as @fig-decay shows and [@curie1898] measured.

```swift
//| label: fig-decay
//| caption: Remaining fraction
let halfLife = 2.0
func remaining(after t: Double) -> Double { pow(0.5, t / halfLife) }
print(remaining(after: 2))
check(abs(remaining(after: 2) - 0.5) < 1e-12, "half remains after one half-life")
export("halfLife", halfLife)
```

::: {#thm-half name="Halving"}
After $n$ half-lives $2^{-n}$ remains.
:::

$$ r(t) = 2^{-t/h} $$ {#eq-decay}

## Later

See @eq-decay and @thm-half.
""",
    "notebooks/refs.bib": """@article{curie1898,
  author = {Curie, Marie and Curie, Pierre},
  title = {Sur une substance nouvelle radio-active},
  journal = {Comptes rendus},
  year = {1898}
}
""",
    "notebooks/consume.md": """# Consume

```swift
let h = imported("decay.md", "halfLife", as: Double.self)
check(h == 2, "the half-life came across")
```
""",
    "notebooks/use.md": """# Use

The figure @fig-decay again.

{{< embed decay.md#fig-decay >}}
""",
}


@pytest.fixture
def project(tmp_path):
    for name, text in PROJECT.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def uri(path: pathlib.Path) -> str:
    return path.resolve().as_uri()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[FOLIO, "lsp"]))
async def client(lsp_client: LanguageClient, project):
    # Neovim answers the server's request to fetch inlay hints again; so does this client.
    lsp_client.inlay_hint_refreshes = 0

    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(params):
        lsp_client.inlay_hint_refreshes += 1
        return None

    lsp_client.initialized_with = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("neovim"),
            root_uri=uri(project),
            workspace_folders=[types.WorkspaceFolder(uri=uri(project), name="project")],
        )
    )
    lsp_client.project = project
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def project_with_packages(tmp_path):
    """A project with this repository's folio.yml (swift-numerics), its folio.lock and shared code,
    whose packages are the ones the repository's own build made (`.folio/packages`, linked): the
    server never builds packages, so they must exist. They are built here if they do not."""
    import subprocess
    packages = ROOT / ".folio" / "packages"
    if not (packages / "folio-build.json").exists():
        first = sorted((ROOT / "notebooks").glob("*.md"))[0]
        subprocess.run([FOLIO, "check", str(first.relative_to(ROOT))], cwd=ROOT, check=True, capture_output=True)
    for name in ("folio.yml", "folio.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "swift", tmp_path / "swift")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / ".folio").mkdir()
    (tmp_path / ".folio" / "packages").symlink_to(packages)
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[FOLIO, "lsp"]))
async def client_with_packages(lsp_client: LanguageClient, project_with_packages):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities("neovim"),
                                                               root_uri=uri(project_with_packages)))
    lsp_client.project = project_with_packages
    yield
    await lsp_client.shutdown_session()
