"""Registration throughput and the my-work list, against a fresh database of N cases.

    .venv/bin/python bench/registration.py [--cases 100000] [--clients 8] [--seconds 20]
                                           [--db sqlite|postgres] [--workers 4] [--threads 1]

1. a fresh database (SQLite file var/bench/bench.sqlite3, or PostgreSQL xinfang_bench),
   migrated; the sample staff; a first slice of cases (bench_fill), queries counted;
   the rest of the N cases, queries counted again (the count must not grow);
2. gunicorn on 127.0.0.1:8765 against it; a token for `dengji` (county bureau clerk);
3. CLIENTS threads POST /api/v1/petitions for SECONDS: registrations/s, latency
   percentiles, errors, peak memory of the server processes;
4. the my-work list: GET /api/v1/cases?waiting=true&limit=50 (and the page /work/ with
   a session cookie, when the web app serves it), one request at a time;
5. the server is stopped whatever happens.
"""

import argparse
import os
import functools
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    DEMO_PASSWORD, Client, CpuMeter, MemoryWatch, Server, database_env, django_script, fresh_database, log, manage, run_clients, mark, percentile, request,
)

TARGET_RATE, TARGET_P95_MS = 100, 100
UNITS = ["341122-XFJ"] * 6 + ["341122100-XF", "341122200", "341122300", "341122-ZJJ"]  # where the clerk's petitions arrive
CATEGORIES = ["0101", "0201", "0203", "0301", "0401", "0603", "0801", "0901", "1002", "0504"]
CHANNELS = ["online", "online", "letter", "visit", "visit", "phone", "deputy", "referral"]


@functools.lru_cache(maxsize=1)
def texts():
    """Message texts for the bodies: the public message data when it is beside the
    repository (benchmarks may use it), else a few fixed ones."""
    import csv

    path = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "gov-messages" / "unlabelled.csv"
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [(r["title"][:200], r["text"][:3000]) for r in csv.DictReader(fh) if r["title"] and r["text"]]
        if rows:
            return rows
    return [("拖欠农民工工资", "我们在工地干活的工资被拖欠了三个月，请求帮助追讨。"),
            ("小区物业服务差", "电梯经常停运，物业不作为，请求督促整改。"),
            ("征地补偿款未发放", "承包地被征收，补偿款至今未足额发放。")]


def petition(rng, pool):
    from xinfang.demo import fake  # plain Python: no Django needed

    title, content = rng.choice(pool)
    channel = rng.choice(CHANNELS)
    body = {"channel": channel, "received_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 600)),
            "receiving_unit": rng.choice(UNITS), "title": title, "content": content, "kind": "grievance",
            "category": rng.choice(CATEGORIES), "petitioners": [], "headcount": 1}
    if channel == "visit" and rng.random() < 0.1:
        names = fake.names(rng, 3)
        body.update(headcount=rng.randint(5, 20), representatives=names,
                    petitioners=[{"name": n, "id_number": fake.id_number(rng, local=True), "phone": fake.phone(rng)} for n in names])
    elif rng.random() > 0.05:
        body["petitioners"] = [{"name": fake.name(rng), "id_number": fake.id_number(rng, local=True), "phone": fake.phone(rng),
                                "address": fake.address(rng)}]
    return body


def load(token, clients, seconds, seed=1):
    pool = texts()
    deadline = time.monotonic() + seconds
    latencies, errors, statuses, samples = [], [], {}, []
    lock = threading.Lock()

    def worker(i):
        rng = random.Random(seed * 100 + i)
        client = Client(headers={"Authorization": f"Bearer {token}"}, timeout=60)
        mine, bad = [], []
        try:
            while time.monotonic() < deadline:
                body = petition(rng, pool)
                started = time.perf_counter()
                try:
                    status, payload = client.request("POST", "/api/v1/petitions", body)
                except OSError as exc:
                    status, payload = 0, str(exc).encode()
                mine.append((time.perf_counter() - started) * 1000)
                if status != 201:
                    bad.append((status, payload[:300]))
        finally:
            client.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    elapsed = run_clients(worker, clients, seconds)
    for status, _ in errors:
        statuses[status] = statuses.get(status, 0) + 1
    samples = errors[:3]
    ok = len(latencies) - len(errors)
    return {"ok": ok, "rate": ok / elapsed, "elapsed": elapsed, "latencies": latencies, "errors": len(errors),
            "statuses": statuses, "samples": samples}


def warm_up(token, server, rounds=2, budget=300):
    """Every worker's first requests pay one-off costs (imports, models, dictionaries).
    Send rounds × (workers × threads) registrations at once, and again, before timing;
    returns the slowest of them in ms (the cold start)."""
    width = server.workers * server.threads
    slowest = []
    stop = time.monotonic() + budget

    def one(i):
        client = Client(headers={"Authorization": f"Bearer {token}"}, timeout=budget)
        rng = random.Random(9000 + i)
        started = time.perf_counter()
        try:
            client.request("POST", "/api/v1/petitions", petition(rng, texts()))
        except OSError:
            pass
        finally:
            client.close()
        slowest.append((time.perf_counter() - started) * 1000)

    for r in range(rounds):
        threads = [threading.Thread(target=one, args=(r * width + i,), daemon=True) for i in range(width)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(1, stop - time.monotonic()))
    return max(slowest or [0])


def timed_gets(path, headers, count, budget=120):
    client = Client(headers=headers, timeout=30)
    times, bad = [], 0
    stop = time.monotonic() + budget
    try:
        for _ in range(count):
            if time.monotonic() > stop:
                break
            started = time.perf_counter()
            status, _ = client.request("GET", path)
            times.append((time.perf_counter() - started) * 1000)
            bad += status != 200
    finally:
        client.close()
    return times, bad


def describe_counts(label, counts):
    def one(key):
        value = counts.get(key)
        return f"{value['queries']} queries ({value['ms']} ms in-process)" if isinstance(value, dict) else str(value)

    log(f"  {label:>8} cases: API my-work list {one('api_list')}; API list (no filter) {one('api_list_all')}; "
        f"web /work/ {one('web_work')}; one registration {one('api_register')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2: measured best on 2 cores, see README)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker; >1 uses the gthread worker (default 1: sync)")
    parser.add_argument("--list-requests", type=int, default=300)
    parser.add_argument("--reuse", action="store_true", help="keep the database of the previous run (skip create, migrate and fill)")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for the server and the in-process counts, e.g. XINFANG_NLP='{\"index_mode\": \"queue\"}'")
    args = parser.parse_args()

    env = database_env(args.db)
    for item in args.env:
        key, _, value = item.partition("=")
        env[key] = value
    first = min(1000, args.cases)
    log(f"== Xinfang registration benchmark: {args.db}, {args.cases:,} cases, {args.clients} clients × {args.seconds:g} s =="
        + (f" env {' '.join(args.env)}" if args.env else ""))
    log(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} before the run")
    counts_small = None
    if not args.reuse:
        fresh_database(args.db)
        _, secs = manage(env, "migrate", "-v0")
        log(f"migrate: {secs:.1f} s")
        out, secs = manage(env, "bench_fill", "--cases", str(first))
        counts_small = django_script(env, "querycount.py")
        if args.cases > first:
            out, secs2 = manage(env, "bench_fill", "--cases", str(args.cases - first), "--seed", "12")
            secs += secs2
        log(f"bench_fill: {args.cases:,} cases in {secs:.1f} s ({args.cases / secs:,.0f}/s)")
    counts_big = django_script(env, "querycount.py", "--session")
    log("SQL queries per request (in-process, after one warm-up request):")
    if counts_small:
        describe_counts(f"{counts_small['cases']:,}", counts_small)
    describe_counts(f"{counts_big['cases']:,}", counts_big)
    if counts_small:
        same = all(isinstance(counts_small.get(k), dict) and counts_small[k]["queries"] == counts_big[k]["queries"]
                   for k in ("api_list", "web_work") if isinstance(counts_big.get(k), dict))
        log(f"  query count constant across sizes: {same}  [target: fixed] {mark(same)}")

    server = Server(env, workers=args.workers, threads=args.threads)
    watch = None
    try:
        server.start()
        log(f"server: {server.label} on 127.0.0.1:8765")
        status, body = request("GET", "/api/v1/openapi.json")
        paths = __import__("json").loads(body).get("paths", {}) if status == 200 else {}
        if "/api/v1/petitions" not in paths or "/api/v1/auth/token" not in paths:
            log("API not available yet (no /api/v1/petitions in openapi.json): load test skipped")
            return 2
        status, body = request("POST", "/api/v1/auth/token", {"username": "dengji", "password": DEMO_PASSWORD})
        if status not in (200, 201):
            raise RuntimeError(f"token: HTTP {status} {body[:200]!r}")
        token = __import__("json").loads(body)["token"]

        watch = MemoryWatch(server)
        watch.start()
        cold = warm_up(token, server)
        log(f"warm-up: {2 * server.workers * server.threads} registrations, slowest {cold:,.0f} ms (first request of a worker)")
        with CpuMeter(server) as cpu:
            result = load(token, args.clients, args.seconds)
        watch.stop()
        lat = result["latencies"]
        log(f"registrations: {result['ok']} in {result['elapsed']:.1f} s = {result['rate']:.1f}/s  "
            f"[target ≥{TARGET_RATE}/s] {mark(result['rate'] >= TARGET_RATE)}")
        log(f"  latency ms: p50 {percentile(lat, .5):.0f}  p95 {percentile(lat, .95):.0f}  p99 {percentile(lat, .99):.0f}  max {max(lat or [0]):.0f}")
        log(f"  errors: {result['errors']} {result['statuses'] or ''}")
        for status, sample in result["samples"]:
            log(f"    HTTP {status}: {sample!r}")
        log(f"  CPU per registration: {cpu.per(result['ok'])}")
        log(f"  peak RSS: all server processes {watch.peak_total / 1024:.0f} MB, largest process {watch.peak_process / 1024:.0f} MB "
            f"({len(server.pids())} processes)")

        auth = {"Authorization": f"Bearer {token}"}
        times, bad = timed_gets("/api/v1/cases?waiting=true&limit=50", auth, args.list_requests)
        log(f"my-work API  GET /api/v1/cases?waiting=true&limit=50 ×{len(times)}: p50 {percentile(times, .5):.1f} ms  "
            f"p95 {percentile(times, .95):.1f} ms  errors {bad}  [target p95 ≤{TARGET_P95_MS} ms] {mark(percentile(times, .95) <= TARGET_P95_MS)}")
        if counts_big.get("session") and isinstance(counts_big.get("web_work"), dict):
            cookie = {"Cookie": f"sessionid={counts_big['session']}"}
            times, bad = timed_gets("/work/", cookie, args.list_requests)
            log(f"my-work page GET /work/ ×{len(times)}: p50 {percentile(times, .5):.1f} ms  p95 {percentile(times, .95):.1f} ms  "
                f"errors {bad}  [target p95 ≤{TARGET_P95_MS} ms] {mark(percentile(times, .95) <= TARGET_P95_MS)}")
        else:
            log(f"my-work page /work/: not measured ({counts_big.get('web_work')})")
        return 0
    finally:
        if watch is not None:
            watch.stop()
        server.stop()
        log("server stopped")


if __name__ == "__main__":
    sys.exit(main())
