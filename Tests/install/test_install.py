"""`make install` / `make uninstall` as a user meets them: the installed `folio` moved to another
place, run from a folder outside this repository, builds a new project whose cells compile
against the installed notebook library; uninstalling leaves nothing behind."""
import json
import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PREFIX = "/opt/folio-test"


def make(target, destdir):
    # The debug build `make test` has already built; the release build would take minutes.
    return subprocess.run(["make", "--no-print-directory", "-s", target, "INSTALL_BUILD=debug",
                           f"PREFIX={PREFIX}", f"DESTDIR={destdir}"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)


def files_under(root):
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if not p.is_dir())


def test_installed_folio_moves_builds_a_project_elsewhere_and_uninstalls_cleanly(tmp_path):
    staged = tmp_path / "staged"
    r = make("install", staged)
    assert r.returncode == 0, r.stdout + r.stderr
    installed = files_under(staged)
    assert f"{PREFIX[1:]}/bin/folio" in installed
    assert f"{PREFIX[1:]}/lib/folio/libFolioNotebookSupport.so" in installed
    assert f"{PREFIX[1:]}/lib/folio/Modules/FolioRuntime.swiftmodule" in installed
    assert f"{PREFIX[1:]}/lib/folio/include/CLAPACK/module.modulemap" in installed

    # Relocated: nothing may point back at the staging folder or this checkout's .build.
    moved = tmp_path / "moved"
    shutil.move(str(staged), str(moved))
    folio = moved / PREFIX[1:] / "bin" / "folio"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLIO_")}

    version = subprocess.run([str(folio), "--version"], capture_output=True, text=True, env=env)
    assert version.returncode == 0
    assert version.stdout.startswith("0.1.0 (commit "), version.stdout

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = subprocess.run([str(folio), "init", "notes"], cwd=elsewhere, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    # From a folder inside the project (the project is found by walking up), into a report outside it.
    report = tmp_path / "report.json"
    r = subprocess.run([str(folio), "build", "--report", str(report), "--jobs", "2"],
                       cwd=elsewhere / "notes" / "notebooks", capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    built = json.loads(report.read_text())
    assert built["ok"]
    [notebook] = built["notebooks"]
    assert notebook["executed"] and notebook["checks"]["passed"] > 0 and notebook["checks"]["failed"] == 0
    assert (elsewhere / "notes" / "site" / "first-notebook.html").exists()
    # The program was compiled against the installed modules and library, not this checkout's.
    identity = " ".join(json.loads((elsewhere / "notes" / ".folio" / "identity.json").read_text()))
    assert str(moved) in identity and str(REPO / ".build") not in identity

    r = make("uninstall", moved)
    assert r.returncode == 0, r.stdout + r.stderr
    assert files_under(moved) == []
    assert not (moved / PREFIX[1:] / "bin").exists() and not (moved / PREFIX[1:] / "lib").exists()
