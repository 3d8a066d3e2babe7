"""The outbox's throughput: queue N messages, then send them with W sweeping threads at
once (each its own database connection), through an SMS adapter that takes a fixed time
per message (a gateway's round trip). Prints queued/s, sent/s and the duplicates found
(must be 0).

    .venv/bin/python bench/notify_sweep.py [--db sqlite|postgres] [--messages 2000]
                                           [--workers 2] [--gateway-ms 5]

A fresh database (var/bench/notify/bench.sqlite3, or BENCH_PG_URL, default
postgres://postgres@127.0.0.1:5432/xf_notify) is migrated first; it runs in working hours
of a working day (time_machine), so nothing is held."""

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import fresh_database, log, manage  # noqa: E402

VAR = Path(__file__).resolve().parent.parent / "var" / "bench" / "notify"
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/xf_notify")
SENT = []


class TimedGateway:
    delay = 0.005

    def send(self, to, body, *, ref=""):
        time.sleep(TimedGateway.delay)
        SENT.append(ref)
        return ref


def child(messages, workers, gateway_ms):
    import django

    django.setup()
    import time_machine
    from django.conf import settings
    from django.db import connection

    from xinfang.notify import services

    settings.SMS_BACKEND = f"{__name__}.TimedGateway"  # this module as it runs (__main__)
    TimedGateway.delay = gateway_ms / 1000
    with time_machine.travel("2026-12-02 10:00 +0800", tick=True):
        started = time.monotonic()
        for i in range(messages):
            services.queue("sms", f"138{i:08d}", kind="case_step", body=f"【信访】您的信访事项（编号B-{i}）已受理。", key=f"b{i}")
        queued_s = time.monotonic() - started

        def sweep():
            try:
                while services.deliver_due().sent:
                    pass
            finally:
                connection.close()

        threads = [threading.Thread(target=sweep) for _ in range(workers)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        sent_s = time.monotonic() - started
    dupes = sum(n - 1 for n in Counter(SENT).values() if n > 1)
    print(json.dumps({"messages": messages, "queued_per_s": round(messages / queued_s, 1), "sent": len(SENT),
                      "sent_per_s": round(len(SENT) / sent_s, 1), "duplicates": dupes, "workers": workers,
                      "gateway_ms": gateway_ms}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gateway-ms", type=float, default=5)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        return child(args.messages, args.workers, args.gateway_ms)
    fresh_database(args.db, var=VAR, pg_url=PG)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="xinfang.settings", LOG_LEVEL="WARNING", XINFANG_VAR_DIR=str(VAR / "var"),
               SECRET_KEY="bench-only-secret-key-not-for-production-use", PYTHONPATH=str(VAR.parent.parent.parent))
    env.pop("DATABASE_URL", None)
    if args.db == "postgres":
        env["DATABASE_URL"] = PG
    else:
        env["SQLITE_PATH"] = str(VAR / "bench.sqlite3")
    manage(env, "migrate", "--noinput")
    import subprocess

    proc = subprocess.run([sys.executable, __file__, "--child", "--messages", str(args.messages), "--workers", str(args.workers),
                           "--gateway-ms", str(args.gateway_ms)], env=env, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    log(f"{args.db}: {result['messages']} queued at {result['queued_per_s']}/s; sent {result['sent']} with "
        f"{result['workers']} sweeping threads at {result['sent_per_s']}/s (gateway {result['gateway_ms']} ms each); "
        f"duplicates: {result['duplicates']}")


if __name__ == "__main__":
    main()
