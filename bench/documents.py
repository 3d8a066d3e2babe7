"""Generating a written notice: issue() of a 受理告知书 on a realistic case (number, fill
the Word template, store version 1, audit), and the whole accept step through perform()
that issues it. Target: issue() p95 ≤ 150 ms.

    .venv/bin/python bench/documents.py [--runs 200] [--db sqlite|postgres]

A fresh database: SQLite var/bench/documents.sqlite3, or PostgreSQL `xinfang_bench_docs`
on 127.0.0.1 (override with BENCH_PG_URL); files under var/bench/documents-var/. The
sample county and its staff are created, `--runs` cases registered, then each accepted
(perform) and, separately, `--runs` notices issued directly; p50/p95/max of each.
"""

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = ROOT / "var" / "bench"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def line(name, times, target=None):
    ms = [t * 1000 for t in times]
    verdict = ""
    if target is not None:
        verdict = f"   target p95 ≤ {target} ms   {'PASS' if percentile(ms, 95) <= target else 'MISS'}"
    print(f"{name:<40} p50 {percentile(ms, 50):7.1f} ms   p95 {percentile(ms, 95):7.1f} ms   max {max(ms):7.1f} ms{verdict}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()

    VAR.mkdir(parents=True, exist_ok=True)
    var = VAR / "documents-var"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(DJANGO_SETTINGS_MODULE="xinfang.settings", DEBUG="0", LOG_LEVEL="WARNING", XINFANG_VAR_DIR=str(var),
                      SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production-use"))
    if args.db == "postgres":
        import psycopg

        url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/xinfang_bench_docs")
        name, admin = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
    else:
        db = VAR / "documents.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        os.environ["SQLITE_PATH"] = str(db)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from xinfang.cases.services import perform
    from xinfang.documents.kinds import DocKind
    from xinfang.documents.services import cn_date, issue
    from xinfang.intake.services import PetitionIn, register
    from xinfang.org.sample import build_people, build_units

    units = build_units()
    people = build_people(units, password="Bench-2026-xf")
    clerk = people["dengji"]
    cases = []
    for i in range(args.runs):
        _, case = register(actor=clerk, data=PetitionIn(
            channel="letter", receiving_unit=units["bureau"], kind="grievance", title=f"征地补偿款未发放（{i}）",
            content="本人承包地于去年被征收，补偿款至今未发放到位，多次找村委会无果。" * 5,
            petitioners=[{"name": "刘某", "id_number": "11010519491231002X", "phone": "13800000001"}, {"name": "陈某"}]))
        cases.append(case)

    accept = []
    for case in cases:
        started = time.perf_counter()
        perform(case=case, action="accept", actor=clerk)
        accept.append(time.perf_counter() - started)

    notice = []
    for case in cases:
        context = {"case_number": case.number, "petitioner_name": "刘某、陈某", "received_date_cn": cn_date(case.received_at),
                   "request_summary": case.title, "handle_due_cn": cn_date(case.handle_due), "handle_days": 60,
                   "legal_basis": "《信访工作条例》第二十二条、第三十二条"}
        started = time.perf_counter()
        issue(DocKind.ACCEPT_NOTICE, unit=units["bureau"], subject=case, context=context, actor=clerk)
        notice.append(time.perf_counter() - started)

    print(f"documents: {args.runs} runs on {args.db}")
    line("issue(): one 受理告知书", notice, target=150)
    line("perform(accept), which issues it", accept)


if __name__ == "__main__":
    main()
