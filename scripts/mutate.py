"""Mutation testing of the rule modules (issue #20; docs/mutation.md).

    .venv/bin/python scripts/mutate.py [MODULE ...] [--children 2] [--only FUNC,FUNC] [--no-run]

MODULE is one of the rule modules in pyproject.toml [tool.mutmut] only_mutate, written
as cases.services, cases.clock, calendar.periods, intake.services or intake.privacy
(default: all five, one after the other); `--only _extend,refusal` narrows a run to
those functions of the module (cases/services.py alone has ~1,700 mutants). For each one mutmut (3.x) copies the tree
into mutants/, changes the module one small step at a time (a `<=` into `<`, a
constant, a removed argument…) and runs the tests that reach the changed function
(the non-browser tests named in [tool.mutmut]). A mutant that no test notices
"survives". Printed per module: mutants, killed, survived, score (killed + timed out
over all that ran), then each survivor with its changed line.

The test database: every mutant's run is a process of its own, several at once, so
each copies one SQLite database migrated here first (XINFANG_TEST_DB_TEMPLATE, see
xinfang/conftest.py) instead of migrating its own. PostgreSQL is not used.

Not part of `make test` or CI: a module takes minutes (clock.py, 47 mutants) to hours
(cases/services.py, ~1,700 mutants) on two shared cores. mutmut keeps its results in mutants/,
copies the tree once; this script brings changed tests over before each run. With
`--fresh` it starts from a new copy (the honest count after large changes).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
MODULES = ["cases.clock", "calendar.periods", "intake.privacy", "intake.services", "cases.services"]
TARGET = 0.85
CAUGHT = {"killed", "timeout"}


def environment(template):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env["XINFANG_TEST_DB_TEMPLATE"] = str(template)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def migrate_template():
    """One migrated SQLite database that every mutant's test run copies."""
    folder = ROOT / "var" / "mutation"
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "template.sqlite3"
    for old in folder.glob("template.sqlite3*"):
        old.unlink()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SQLITE_PATH"] = str(template)
    subprocess.run([str(VENV / "python"), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    # One file, no write-ahead log beside it, so that a plain copy is the whole database.
    import sqlite3

    with sqlite3.connect(template) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
    return template


def sync_tests():
    """mutmut copies the tree into mutants/ once and never refreshes a file already there
    (only the mutated modules are rebuilt when they change): bring every other changed
    file over, so that edited and new tests are the ones run (mutmut then collects the
    coverage of new tests by itself)."""
    import filecmp
    import tomllib

    mutated = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]["only_mutate"])
    copied = 0
    for source in (ROOT / "xinfang").rglob("*"):
        relative = source.relative_to(ROOT)
        if not source.is_file() or "__pycache__" in relative.parts or str(relative) in mutated:
            continue
        target = ROOT / "mutants" / relative
        if target.parent.exists() and (not target.exists() or not filecmp.cmp(source, target, shallow=False)):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            copied += 1
    if copied:
        print(f"   {copied} changed files brought into mutants/", flush=True)


def results(env):
    out = subprocess.run([str(VENV / "mutmut"), "results", "--all", "true"], cwd=ROOT, env=env, capture_output=True, text=True)
    rows = {}
    for line in out.stdout.splitlines():
        m = re.match(r"\s+(\S+): (.+)$", line)
        if m:
            rows[m.group(1)] = m.group(2).strip()
    return rows


def changed_line(name, env):
    diff = subprocess.run([str(VENV / "mutmut"), "show", name], cwd=ROOT, env=env, capture_output=True, text=True).stdout
    lines = [ln for ln in diff.splitlines() if ln[:1] in "-+" and not ln.startswith(("---", "+++"))]
    return " | ".join(ln.strip()[:150] for ln in lines[:4])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", default=MODULES, help=", ".join(MODULES))
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once (default 2: a shared machine)")
    parser.add_argument("--only", default="", help="comma-separated function names of the module(s): run and count only their mutants")
    parser.add_argument("--no-run", action="store_true", help="only summarise the results already in mutants/")
    parser.add_argument("--fresh", action="store_true", help="delete mutants/ first: a clean count")
    args = parser.parse_args()
    for module in args.modules:
        if module not in MODULES:
            parser.error(f"unknown module {module}; one of {', '.join(MODULES)}")

    parser_fresh = args.fresh and not args.no_run
    if parser_fresh:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    if not args.no_run and (ROOT / "mutants").exists():
        sync_tests()
    template = migrate_template() if not args.no_run else ROOT / "var" / "mutation" / "template.sqlite3"
    env = environment(template)
    summary = []
    for module in args.modules:
        prefix = f"xinfang.{module}."
        functions = [f.strip() for f in args.only.split(",") if f.strip()]
        globs = [f"{prefix}x_{f}__mutmut_*" for f in functions] or [f"{prefix}*"]
        if not args.no_run:
            started = time.monotonic()
            print(f"== mutmut run {' '.join(globs)} ({args.children} at once)", flush=True)
            run = subprocess.run([str(VENV / "mutmut"), "run", "--max-children", str(args.children), *globs],
                                 cwd=ROOT, env=env, capture_output=True, text=True)
            tail = (run.stdout + run.stderr).strip().splitlines()[-3:]
            print(f"   {time.monotonic() - started:.0f} s; mutmut said: {' / '.join(s.strip()[-200:] for s in tail)}", flush=True)
        rows = {k: v for k, v in results(env).items()
                if k.startswith(prefix) and (not functions or any(k.startswith(g[:-1]) for g in globs))}
        ran = {k: v for k, v in rows.items() if v not in ("skipped", "not checked")}
        caught = sum(v in CAUGHT for v in ran.values())
        survivors = sorted((k for k, v in ran.items() if v not in CAUGHT), key=lambda k: (k.rsplit("__mutmut_", 1)[0],
                                                                                        int(k.rsplit("_", 1)[1])))
        score = caught / len(ran) if ran else 0.0
        summary.append((module + (f" ({args.only})" if functions else ""), len(rows), len(ran), caught, len(survivors), score))
        print(f"-- {module}: {len(ran)} mutants tested, {caught} killed, {len(survivors)} survived: "
              f"{score:.1%} (target ≥ {TARGET:.0%}: {'PASS' if score >= TARGET else 'MISS'})", flush=True)
        for name in survivors:
            print(f"   {name} [{ran[name]}]  {changed_line(name, env)}", flush=True)

    print()
    print(f"{'module':<18} {'mutants':>8} {'killed':>7} {'survived':>9} {'score':>7}  target ≥ {TARGET:.0%}")
    for module, _total, ran, caught, survived, score in summary:
        print(f"{module:<18} {ran:>8} {caught:>7} {survived:>9} {score:>7.1%}  {'PASS' if score >= TARGET else 'MISS'}")
    shutil.rmtree(ROOT / "var" / "mutation" / "tmp", ignore_errors=True)
    return 0 if all(s[-1] >= TARGET for s in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
