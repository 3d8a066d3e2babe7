"""The reminders and overdue sweep (xinfang.supervision.sweeps.run) over many open cases
and obligations on PostgreSQL: the first run (which makes the reminders, tells the
units and escalates) and a second run (which must make and send nothing), timed, with
the number of SQL queries each issues beside the targets (≤ 10 s; the same number of
queries whatever the size of the data).

    .venv/bin/python bench/sweep.py [--cases 1000000] [--obligations 100000] [--keep]

The database (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/xf_sweep) is
dropped, created and migrated, the sample county's units and people made, then the
cases and obligations written straight into their tables with one INSERT … SELECT FROM
generate_series each (no services: a fill, not a workload), then vacuumed and
checkpointed. Due dates are spread over
300 days from 10 days ago, so about 1 % are near (three working days), 3 % overdue and
2 % five days overdue or more (escalated). --keep reuses a filled database of the same
size instead of filling again."""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import fresh_database, log, manage  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench" / "sweep"
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/xf_sweep")
TARGET_SECONDS = 10
SPREAD_DAYS, BACK_DAYS = 300, 10


def fill(cases, obligations):
    from django.db import connection
    from django.utils import timezone

    from xinfang.org.models import Unit
    from xinfang.org.sample import build_people, build_units, ensure_reference_data

    ensure_reference_data()
    units = build_units()
    build_people(units, password="Bench-2026-xf")
    owners = list(Unit.objects.order_by("pk").values_list("pk", "path"))
    bureau = units["bureau"]
    today = timezone.localdate()
    ids = "ARRAY[" + ",".join(str(pk) for pk, _ in owners) + "]::bigint[]"
    paths = "ARRAY[" + ",".join("'" + path.replace("'", "''") + "'" for _, path in owners) + "]::varchar[]"
    k = len(owners)
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO cases_case (number, unit_id, unit_path, current_unit_id, current_unit_path, region_code, title, kind,
                status, stage, version, received_at, petition_count, headcount, is_collective, due_date, due_kind, handle_due,
                extended_days, extension_reason, decline_reason, proper_channel, guided_procedure, refuse_basis, satisfaction,
                deadline_warnings, created_at, updated_at, accused_post, is_late_entry, supervision_level)
            SELECT 'SW' || g, %(bureau)s, %(bureau_path)s, ({ids})[1 + g %% {k}], ({paths})[1 + g %% {k}], '341122',
                '合成信访事项 ' || g, 'grievance', 'in_progress', 'handling', 1, now() - interval '30 days', 1, 1, false,
                %(today)s::date - {BACK_DAYS} + ((g::bigint * 7919) %% {SPREAD_DAYS})::int, 'handle',
                %(today)s::date - {BACK_DAYS} + ((g::bigint * 7919) %% {SPREAD_DAYS})::int,
                0, '', '', '', '', '', '', '[]'::jsonb, now(), now(), '', false, ''
            FROM generate_series(1, %(n)s) AS g""", {"bureau": bureau.pk, "bureau_path": bureau.path, "today": today, "n": cases})
        cases_s = time.monotonic() - started
        started = time.monotonic()
        cursor.execute(f"""
            INSERT INTO cases_obligation (kind, case_id, title, requirement, owner_unit_id, owner_path, creditor_unit_id,
                creditor_path, opened_at, due_date, level, status, sent_back_count, source, version)
            SELECT 'supervision', NULL, '合成督办事项 ' || g, '', ({ids})[1 + g %% {k}], ({paths})[1 + g %% {k}], %(bureau)s,
                %(bureau_path)s, now() - interval '20 days', %(today)s::date - {BACK_DAYS} + ((g::bigint * 104729) %% {SPREAD_DAYS})::int,
                (ARRAY['', 'general', 'key'])[1 + g %% 3], 'open', 0, 'bench', 1
            FROM generate_series(1, %(n)s) AS g""", {"bureau": bureau.pk, "bureau_path": bureau.path, "today": today, "n": obligations})
        obligations_s = time.monotonic() - started
        # A live database's rows are not all freshly written: vacuum (hint bits, visibility
        # map) and checkpoint, so that the measured run does not pay for the fill.
        for table in ("cases_case", "cases_obligation", "supervision_reminder"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("CHECKPOINT")
    return {"fill_cases_s": round(cases_s, 1), "fill_obligations_s": round(obligations_s, 1)}


def measure():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xinfang.supervision import sweeps
    from xinfang.supervision.models import Reminder

    from django.utils import timezone

    runs = []
    now = timezone.now()
    # The first run (the whole backlog at once), the same run again (must make nothing),
    # and the next day's run (what the periodic sweep does day after day).
    for when in (now, now, now + datetime.timedelta(days=1)):
        with CaptureQueriesContext(connection) as queries:
            started = time.monotonic()
            result = sweeps.run(when)
            seconds = time.monotonic() - started
        runs.append({"seconds": round(seconds, 2), "queries": len(queries), **result.as_dict()})
    return runs, Reminder.objects.count()


def child(cases, obligations, keep):
    import django

    django.setup()
    from xinfang.cases.models import Case, Obligation
    from xinfang.supervision.models import Reminder

    filled = {}
    if keep:
        Reminder.objects.all().delete()
        Obligation.objects.filter(source="sweep").delete()  # what an earlier measured run opened
    else:
        filled = fill(cases, obligations)
    counts = {"cases": Case.objects.count(), "obligations": Obligation.objects.count()}
    runs, reminders = measure()
    print(json.dumps({**counts, **filled, "runs": runs, "reminders": reminders, "load": [round(x, 1) for x in os.getloadavg()]}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--obligations", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse the filled database (a second measurement)")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        return child(args.cases, args.obligations, args.keep)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="xinfang.settings", LOG_LEVEL="WARNING", XINFANG_VAR_DIR=str(VAR / "var"),
               SECRET_KEY="bench-only-secret-key-not-for-production-use", PYTHONPATH=str(ROOT), DATABASE_URL=PG, DEBUG="0")
    if not args.keep:
        fresh_database("postgres", var=VAR, pg_url=PG)
        started = time.monotonic()
        manage(env, "migrate", "--noinput")
        log(f"migrated in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, __file__, "--child", "--cases", str(args.cases), "--obligations", str(args.obligations)]
                          + (["--keep"] if args.keep else []), env=env, capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    log(f"PostgreSQL: {r['cases']:,} open cases, {r['obligations']:,} open obligations"
        + (f" (filled in {r['fill_cases_s']} s + {r['fill_obligations_s']} s)" if "fill_cases_s" in r else ""))
    log(f"  load average while measuring: {r['load']}")
    for name, run in zip(("first run ", "second run", "next day  "), r["runs"]):
        ok = "OK" if run["seconds"] <= TARGET_SECONDS else "SLOW"
        log(f"  {name}: {run['seconds']:6.2f} s (target ≤ {TARGET_SECONDS} s: {ok}), {run['queries']} queries; "
            f"reminders made {run['total']} {run['created']}, told {run['told']}, notifications {run['notifications']}, "
            f"raised {run['escalated']}, opened {run['opened']}")
    second = r["runs"][1]
    log(f"  second run made {second['total']} reminders and {second['notifications']} notifications (must be 0): "
        f"{'OK' if second['total'] == 0 and second['notifications'] == 0 else 'FAIL'}")
    log(f"  reminders in the table: {r['reminders']:,}; wall time {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
