"""`make conformance`: Swift code nobody here wrote, run as a plain script and as notebook cells.

The corpus is `../shared/conformance/swift-evolution-blocks.json` (the Swift blocks of the
implemented swift-evolution proposals), read there. swiftc is the oracle:

1. every block is parsed (one `swiftc -frontend -parse` over all of them);
2. the cases are each block that parses, and each maximal run of two or more consecutive parsing
   blocks of one proposal (a later block often uses an earlier one's declarations); each is
   type-checked as a script (`import Foundation` + the code), then compiled and run twice
   (deterministic hashing; a case whose two runs differ, that fails or that takes over 10 s is
   not one the oracle can judge);
3. the cases the oracle ran become notebooks, one cell per block, run by `folio check`; what the
   cells printed must be what the script printed.

A disagreement fails unless `Tests/conformance-known.json` lists it with its reason. Prints the
count at each step. Usage: python3 Tests/conformance.py [FOLIO] [--only N] (the first N cases, to try it).
"""
import concurrent.futures, hashlib, json, os, re, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "conformance", "swift-evolution-blocks.json")
KNOWN = os.path.join(ROOT, "Tests", "conformance-known.json")
WORK = os.path.join(ROOT, ".build", "conformance")
args = [a for i, a in enumerate(sys.argv[1:], 1) if not a.startswith("--") and sys.argv[i - 1] != "--only"]
FOLIO = os.path.abspath(args[0]) if args else os.path.join(ROOT, ".build", "debug", "folio")
ONLY = int(sys.argv[sys.argv.index("--only") + 1]) if "--only" in sys.argv else None
JOBS = os.cpu_count() or 2
ENV = dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1", SWIFT_BACKTRACE="enable=no")
MODULE_CACHE = os.path.join(WORK, "module-cache")
started = time.time()


def say(text):
    print(f"conformance: {text} ({time.time() - started:.0f} s)", flush=True)


def parallel(fn, items):
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
        return list(pool.map(fn, items))


# 1. The blocks, parsed --------------------------------------------------------------------------
corpus = json.load(open(CORPUS))
# The oracle's verdicts are kept across runs (keyed by the script and the compiler), the rest is redone.
ORACLE = os.path.join(ROOT, ".build", "conformance-oracle.json")
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(os.path.join(WORK, "blocks"))
blocks = []  # (proposal index, block index, file)
for p, proposal in enumerate(corpus["proposals"]):
    for b, block in enumerate(proposal["blocks"]):
        path = os.path.join(WORK, "blocks", f"p{p:03d}b{b:03d}.swift")
        with open(path, "w") as f:
            f.write(block["code"])
        blocks.append((p, b, path))
parse = subprocess.run(["swiftc", "-frontend", "-parse", "-diagnostic-style", "llvm"] + [f for _, _, f in blocks],
                       capture_output=True, text=True)
unparsed = set()
for line in parse.stderr.splitlines():
    m = re.match(r"(.+?\.swift):\d+:\d+: error: (.*)", line)
    # Files are parsed as a library here; top-level code is what a script is made of.
    if m and "are not allowed at the top level" not in m.group(2):
        unparsed.add(m.group(1))
parsing = {(p, b) for p, b, f in blocks if f not in unparsed}
say(f"{len(blocks)} blocks in {len(corpus['proposals'])} proposals, {len(parsing)} parse")

# 2. The cases, judged by swiftc ------------------------------------------------------------------
cases = []  # {key, proposal, blocks: [index], code}
for p, proposal in enumerate(corpus["proposals"]):
    n = len(proposal["blocks"])
    for b in range(n):
        if (p, b) in parsing:
            cases.append([p, [b]])
    b = 0
    while b < n:
        e = b
        while e < n and (p, e) in parsing:
            e += 1
        if e - b >= 2:
            cases.append([p, list(range(b, e))])
        b = max(e, b + 1)
if ONLY:
    cases = cases[:ONLY]


def key(case):
    p, bs = case
    proposal = corpus["proposals"][p]
    lines = [proposal["blocks"][b]["line"] for b in bs]
    return f"{proposal['proposal']}:{lines[0]}" + (f"-{lines[-1]}" if len(lines) > 1 else "")


def script(case):
    p, bs = case
    return "import Foundation\n" + "\n".join(corpus["proposals"][p]["blocks"][b]["code"] for b in bs)


SWIFTC = subprocess.run(["swiftc", "--version"], capture_output=True, text=True).stdout.strip()
verdicts = json.load(open(ORACLE)) if os.path.exists(ORACLE) else {}


def oracle(i):
    """The script's output, or None when swiftc cannot judge the case."""
    digest = hashlib.sha256((SWIFTC + "\0" + script(cases[i])).encode()).hexdigest()
    if digest not in verdicts:
        verdicts[digest] = run_script(i)
    return verdicts[digest]


def run_script(i):
    folder = os.path.join(WORK, "scripts", str(i))
    os.makedirs(folder)
    main = os.path.join(folder, "main.swift")
    with open(main, "w") as f:
        f.write(script(cases[i]))
    common = ["-module-cache-path", MODULE_CACHE]
    if subprocess.run(["swiftc", "-typecheck", main] + common, capture_output=True).returncode != 0:
        return None
    binary = os.path.join(folder, "script")
    if subprocess.run(["swiftc", "-Onone", main, "-o", binary] + common, capture_output=True).returncode != 0:
        return None
    outputs = []
    for _ in range(2):
        try:
            r = subprocess.run([binary], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=10, cwd=folder, env=ENV)
        except subprocess.TimeoutExpired:
            return None
        if r.returncode != 0:
            return None
        outputs.append(r.stdout.decode("utf-8", "replace"))
    return outputs[0] if outputs[0] == outputs[1] else None


def script_runs(i, runs):
    """What the script does over `runs` more runs (compiled again if the verdict was cached): the
    outputs of the runs that ended well, and whether any run crashed."""
    folder = os.path.join(WORK, "rerun", str(i))
    binary = os.path.join(folder, "script")
    if not os.path.exists(binary):
        os.makedirs(folder, exist_ok=True)
        main = os.path.join(folder, "main.swift")
        with open(main, "w") as f:
            f.write(script(cases[i]))
        if subprocess.run(["swiftc", "-Onone", main, "-o", binary, "-module-cache-path", MODULE_CACHE], capture_output=True).returncode != 0:
            return set(), False
    outputs, crashed = set(), False
    for _ in range(runs):
        try:
            r = subprocess.run([binary], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10, cwd=folder, env=ENV)
        except subprocess.TimeoutExpired:
            continue
        if r.returncode == 0:
            outputs.add(r.stdout.decode("utf-8", "replace"))
        else:
            crashed = True
    return outputs, crashed


# A warm module cache first, so the parallel jobs do not all build it.
subprocess.run(["swiftc", "-typecheck", "-"] + ["-module-cache-path", MODULE_CACHE], input=b"import Foundation\n", capture_output=True)
expected = parallel(oracle, range(len(cases)))
with open(ORACLE, "w") as f:
    json.dump(verdicts, f)
judged = [i for i, out in enumerate(expected) if out is not None]
singles = sum(1 for i in judged if len(cases[i][1]) == 1)
say(f"{len(cases)} cases ({sum(1 for c in cases if len(c[1]) == 1)} blocks, {sum(1 for c in cases if len(c[1]) > 1)} runs of blocks); "
    f"swiftc compiles and runs {len(judged)} as scripts ({singles} blocks, {len(judged) - singles} runs)")

# 3. The same cases as notebooks -------------------------------------------------------------------
project = os.path.join(WORK, "project")
os.makedirs(os.path.join(project, "notebooks"))
# A project of its own: Folio would otherwise find this repository's folio.yml above it.
with open(os.path.join(project, "folio.yml"), "w") as f:
    f.write("title: swift-evolution blocks\n")
for i in judged:
    p, bs = cases[i]
    cells = []
    for b in bs:
        code = corpus["proposals"][p]["blocks"][b]["code"]
        fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", code)), default=0) + 1)
        cells.append(f"{fence}swift\n{code.rstrip()}\n{fence}\n")
    with open(os.path.join(project, "notebooks", f"case{i:05d}.md"), "w") as f:
        f.write(f"---\ntitle: case {i}\ntimeout: 30\n---\n\n" + "\n".join(cells))
report = os.path.join(WORK, "report.json")
run = subprocess.run([FOLIO, "check", "--jobs", str(JOBS), "--quiet", "--report", report], cwd=project,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
if run.returncode not in (0, 1) or not os.path.exists(report):
    print(run.stdout[-4000:])
    sys.exit(f"conformance: folio check could not run (exit {run.returncode})")
notebooks = {os.path.basename(n["source"]): n for n in json.load(open(report))["notebooks"]}

known = json.load(open(KNOWN)) if os.path.exists(KNOWN) else {}
agreements, listed, unexplained = 0, [], []
for i in judged:
    nb = notebooks.get(f"case{i:05d}.md")
    printed = "".join(o.get("text", "") for c in (nb or {}).get("cells", []) for o in c["outputs"] if o.get("kind") == "text")
    errors = [d["message"] for d in (nb or {}).get("diagnostics", []) if d["severity"] == "error"]
    if nb is not None and not errors and printed == expected[i]:
        agreements += 1
        continue
    if nb is not None:
        # The script's behaviour depends on chance or scheduling (a cancelled task, a race,
        # `Bool.random()` before a `fatalError()`): Folio did one of the things the script itself
        # does on other runs — printed one of its outputs, or crashed where the script crashes too.
        # Ten runs miss a behaviour that happens half the time once in a thousand.
        outputs, crashed = script_runs(i, 10)
        crashes = any(d.get("kind") == "crash" for d in nb.get("diagnostics", []))
        if (not errors and printed in outputs) or (crashes and crashed):
            agreements += 1
            continue
    k = key(cases[i])
    why = errors[0].splitlines()[0] if errors else f"printed {printed[:120]!r}, the script {expected[i][:120]!r}"
    (listed if k in known else unexplained).append((k, why))
say(f"{agreements} of {len(judged)} agree; {len(listed)} disagreements listed with their reason in {os.path.relpath(KNOWN, ROOT)}; {len(unexplained)} unexplained")
for k, why in unexplained:
    print(f"  {k}: {why}")
stale = sorted(set(known) - {k for k, _ in listed})
if stale and not ONLY:
    print(f"conformance: {len(stale)} listed disagreements are no longer cases or now agree: {', '.join(stale[:10])}")
print(f"{agreements + len(listed)} passed, {len(unexplained)} failed")
sys.exit(1 if unexplained else 0)
