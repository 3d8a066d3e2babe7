"""The public site under load: follow by query code, and submit, by 50 concurrent clients.

    .venv/bin/python bench/public.py [--db sqlite|postgres] [--clients 50] [--seconds 20]
                                     [--cases 20000] [--codes 300] [--workers 4] [--threads 1]

1. a fresh database (SQLite var/bench/portal/bench.sqlite3, or PostgreSQL
   xinfang_bench_portal on 127.0.0.1:5432; override with BENCH_PORTAL_PG_URL), migrated,
   with CASES background cases (manage.py bench_fill) and CODES online submissions made
   through the portal's services, half of them answered in writing;
2. gunicorn on 127.0.0.1:8766 with the portal's rate limits raised (every client here is
   127.0.0.1, which the real limits would stop at once);
3. follow, closed loop: CLIENTS threads GET /api/v1/public/cases/{code}?verify=… back to
   back for SECONDS: requests/s and latency percentiles;
4. follow, paced: CLIENTS threads, each one request a second (50 people reading their
   case at once): latency percentiles at a load the server is not saturated by;
5. submit: CLIENTS threads each GET /api/v1/public/captcha, read the answer from the
   database (a stand-in for a person reading the picture), POST /api/v1/public/petitions
   with an Idempotency-Key: submissions/s and latency of the POST;
6. the server is stopped whatever happens.

Targets (printed PASS/MISS): follow p95 ≤ 100 ms; submit ≥ 50/s on PostgreSQL.
"""

import argparse
import json
import os
import random
import secrets
import sqlite3
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench.common as common  # noqa: E402
from bench.common import Client, CpuMeter, Server, log, mark, percentile  # noqa: E402

common.PORT = 8766  # beside bench/registration.py's 8765, so both may run
VAR = common.VAR / "portal"
PG_URL = os.environ.get("BENCH_PORTAL_PG_URL", "postgres://postgres@127.0.0.1:5432/xinfang_bench_portal")
FOLLOW_P95_MS, SUBMIT_RATE = 100, 50
OPEN_LIMITS = {name: "100000000/1h" for name in ("submit_ip", "captcha_ip", "follow_ip", "follow_fail_ip", "code_fail", "act_ip")}
UNITS = ["341122-XFJ", "341122100", "341122200", "341122300", "341122-ZJJ", "341122-RSJ", "341122-HBJ", "341122-JYJ"]
TEXTS = ["小区门口道路破损多年，雨天积水严重，居民出行困难，请求尽快维修。",
         "建议在村口增设公交站点，方便老人和学生出行。",
         "本人在某工地务工三个月，工资至今未结清，请求督促用人单位支付。",
         "反映某厂夜间排放刺鼻气体，周边居民无法正常休息，请求查处。",
         "承包地被征收后补偿款一直未发放到户，请求有关部门督促发放。"]


def env_for(db, nlp_queue=False):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(DEBUG="0", LOG_LEVEL="WARNING", SECRET_KEY=env.get("SECRET_KEY", "bench-only-secret-key-not-for-production-use"),
               XINFANG_VAR_DIR=str(VAR / "var"), PYTHONUNBUFFERED="1", PORTAL_RATE_LIMITS=json.dumps(OPEN_LIMITS))
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env["SQLITE_PATH"] = str(VAR / "bench.sqlite3")
    if nlp_queue:
        # The text index is then left to a huey consumer (none runs here): what the
        # portal and registration cost without the index work after each commit.
        env["XINFANG_NLP"] = json.dumps({"index_mode": "queue"})
    return env


def run(env, *args, timeout=1800):
    import subprocess

    started = time.monotonic()
    proc = subprocess.run([common.PYTHON, *args], env=env, cwd=common.ROOT, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout, time.monotonic() - started


# --- in-process seeding (run as a child with the benchmark's environment) ---------------


def seed_codes(count):
    """Create `count` portal submissions through the services; answer half of them in
    writing. Prints one JSON list of [code, last four digits]."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    django.setup()
    from xinfang.cases.services import perform
    from xinfang.org.models import User
    from xinfang.portal import services
    from xinfang.portal.captcha import new_challenge

    clerk, head = User.objects.get(username="dengji"), User.objects.get(username="fuzeren")
    rng = random.Random(7)
    out = []
    for i in range(count):
        challenge = new_challenge()
        phone = f"139{rng.randrange(10**8):08d}"
        receipt = services.submit(
            data=services.SubmissionIn(kind="grievance", name=f"信访人{i}", phone=phone, unit="341122-XFJ", content=rng.choice(TEXTS),
                                       consent=True),
            captcha_key=challenge.key, captcha_answer=challenge.answer, ip=f"10.0.{i // 250}.{i % 250}")
        if i % 2 == 0:
            perform(case=receipt.case, action="accept", actor=clerk)
            perform(case=receipt.case, action="reply", actor=head, outcome="explain", request_summary="请求处理", facts="经核实情况属实",
                    opinion="已责成有关单位处理", legal_basis="《信访工作条例》第三十二条")
        out.append([receipt.code, phone[-4:]])
    print(json.dumps(out))


# --- load -----------------------------------------------------------------------------


def follow_load(codes, clients, seconds, *, pace=None):
    """Threads GET a random case by its code; `pace` seconds between one client's requests."""
    latencies, statuses, lock = [], {}, threading.Lock()
    stop = time.monotonic() + seconds

    def worker(i):
        rng = random.Random(i)
        client = Client()
        try:
            while time.monotonic() < stop:
                code, four = rng.choice(codes)
                t0 = time.perf_counter()
                status, _ = client.request("GET", f"/api/v1/public/cases/{code}?verify={four}")
                took = (time.perf_counter() - t0) * 1000
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if status == 200:
                        latencies.append(took)
                if pace:
                    time.sleep(max(0.0, pace - took / 1000) * rng.uniform(0.8, 1.2))
        finally:
            client.close()

    elapsed = common.run_clients(worker, clients, seconds)
    return latencies, statuses, elapsed


def captcha_answerer(db):
    """Read a challenge's answer straight from the database: the benchmark's stand-in
    for a person reading the picture."""
    if db == "postgres":
        import psycopg

        local = threading.local()

        def answer(key):
            if not hasattr(local, "conn"):
                local.conn = psycopg.connect(PG_URL, autocommit=True)
            return local.conn.execute("SELECT answer FROM portal_challenge WHERE key = %s", (key,)).fetchone()[0]
    else:
        local = threading.local()

        def answer(key):
            if not hasattr(local, "conn"):
                local.conn = sqlite3.connect(str(VAR / "bench.sqlite3"), timeout=30)
            return local.conn.execute("SELECT answer FROM portal_challenge WHERE key = ?", (key,)).fetchone()[0]
    return answer


def submit_load(db, clients, seconds):
    answer = captcha_answerer(db)
    latencies, statuses, samples, lock = [], {}, [], threading.Lock()
    stop = time.monotonic() + seconds

    def worker(i):
        rng = random.Random(100 + i)
        client = Client()
        try:
            while time.monotonic() < stop:
                status, body = client.request("GET", "/api/v1/public/captcha")
                if status != 200:
                    with lock:
                        statuses[f"captcha {status}"] = statuses.get(f"captcha {status}", 0) + 1
                    continue
                key = json.loads(body)["key"]
                petition = {"kind": "grievance", "name": f"压测{i}", "phone": f"137{rng.randrange(10**8):08d}", "unit": rng.choice(UNITS),
                            "content": rng.choice(TEXTS), "consent": True, "captcha_key": key, "captcha_answer": answer(key)}
                t0 = time.perf_counter()
                status, body = client.request("POST", "/api/v1/public/petitions", petition,
                                              headers={"Idempotency-Key": secrets.token_urlsafe(24)})
                took = (time.perf_counter() - t0) * 1000
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if status == 201:
                        latencies.append(took)
                    elif len(samples) < 3:
                        samples.append((status, body[:200]))
        finally:
            client.close()

    elapsed = common.run_clients(worker, clients, seconds)
    return latencies, statuses, samples, elapsed


def report(label, latencies, statuses, elapsed, *, target_p95=None, target_rate=None):
    rate = len(latencies) / elapsed if elapsed else 0
    p95 = percentile(latencies, .95)
    line = (f"{label}: {len(latencies)} ok in {elapsed:.1f} s = {rate:.1f}/s; latency ms p50 {percentile(latencies, .5):.0f}  "
            f"p95 {p95:.0f}  p99 {percentile(latencies, .99):.0f}  max {max(latencies or [0]):.0f}")
    if target_p95 is not None:
        line += f"  [target p95 ≤{target_p95} ms] {mark(p95 <= target_p95)}"
    if target_rate is not None:
        line += f"  [target ≥{target_rate}/s] {mark(rate >= target_rate)}"
    log(line)
    bad = {k: v for k, v in statuses.items() if k not in (200, 201)}
    if bad:
        log(f"  answers other than success: {bad}")
    return rate, p95


def server_label(args):
    return f"{args.workers} workers" + (f" × {args.threads} threads" if args.threads > 1 else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--cases", type=int, default=20_000, help="background cases (bench_fill)")
    parser.add_argument("--codes", type=int, default=300, help="portal submissions to follow")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--nlp-queue", action="store_true", help="index text in huey (not run here) instead of after each commit")
    parser.add_argument("--seed-codes", type=int, help=argparse.SUPPRESS)  # child mode: see seed_codes()
    args = parser.parse_args()
    if args.seed_codes:
        return seed_codes(args.seed_codes)

    env = env_for(args.db, args.nlp_queue)
    log(f"== Xinfang public site benchmark: {args.db}, {args.cases:,} background cases, {args.clients} clients × {args.seconds:g} s, "
        f"{server_label(args)}, text index {'queued' if args.nlp_queue else 'inline after commit'} ==")
    common.fresh_database(args.db, var=VAR, pg_url=PG_URL)
    _, secs = run(env, str(common.ROOT / "manage.py"), "migrate", "-v0")
    log(f"migrate: {secs:.1f} s")
    _, secs = run(env, str(common.ROOT / "manage.py"), "bench_fill", "--cases", str(args.cases))
    log(f"bench_fill: {args.cases:,} cases in {secs:.1f} s")
    out, secs = run(env, str(Path(__file__).resolve()), "--seed-codes", str(args.codes))
    codes = json.loads(out.strip().splitlines()[-1])
    log(f"portal submissions to follow: {len(codes)} (half answered in writing) in {secs:.1f} s")

    server = Server(env, workers=args.workers, threads=args.threads)
    server.logfile = VAR / "gunicorn.log"
    try:
        server.start()
        log(f"server: {server.label} on 127.0.0.1:{common.PORT}")
        follow_load(codes, 4, 2)  # warm-up: connections, caches
        with CpuMeter(server, database=PG_URL.rsplit("/", 1)[1] if args.db == "postgres" else None) as cpu:
            lat, st, el = follow_load(codes, args.clients, args.seconds)
        rate, _ = report(f"follow, closed loop ({args.clients} clients back to back)", lat, st, el, target_p95=FOLLOW_P95_MS)
        log(f"  CPU per follow: {cpu.per(len(lat))}")
        lat, st, el = follow_load(codes, args.clients, args.seconds, pace=1.0)
        report(f"follow, paced ({args.clients} clients, one request a second each)", lat, st, el, target_p95=FOLLOW_P95_MS)
        with CpuMeter(server, database=PG_URL.rsplit("/", 1)[1] if args.db == "postgres" else None) as cpu:
            lat, st, samples, el = submit_load(args.db, args.clients, args.seconds)
        report(f"submit ({args.clients} clients: captcha + POST each)", lat, st, el,
               target_rate=SUBMIT_RATE if args.db == "postgres" else None)
        for status, body in samples:
            log(f"    HTTP {status}: {body!r}")
        log(f"  CPU per submission (captcha and POST): {cpu.per(len(lat))}")
        return 0
    finally:
        server.stop()
        log("server stopped")


if __name__ == "__main__":
    sys.exit(main())
