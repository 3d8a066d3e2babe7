"""Pieces the benchmark scripts share: a fresh database, manage.py, the gunicorn server
(always stopped), a small keep-alive HTTP client, percentiles and the servers' memory.

Only the standard library and what the project already installs (psycopg for creating
the PostgreSQL database); nothing here imports Django, so the load generator stays light.
"""

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
VAR = ROOT / "var" / "bench"
HOST, PORT = "127.0.0.1", 8765
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/xinfang_bench")
DEMO_PASSWORD = "Demo-2026-xf"  # xinfang.demo.people.DEMO_PASSWORD: bench_fill creates the sample staff with it


def log(msg):
    print(msg, flush=True)


# --- the database ------------------------------------------------------------------


def database_env(db):
    """Environment for manage.py and gunicorn that points at the benchmark database."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(DEBUG="0", LOG_LEVEL="WARNING", SECRET_KEY=env.get("SECRET_KEY", "bench-only-secret-key-not-for-production-use"),
               XINFANG_VAR_DIR=str(VAR / "var"), PYTHONUNBUFFERED="1")
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env["SQLITE_PATH"] = str(VAR / "bench.sqlite3")
    return env


def fresh_database(db, *, var=None, pg_url=None):
    """An empty benchmark database and var/ directory: the SQLite file under `var` (default
    var/bench) deleted, or the PostgreSQL database of `pg_url` (default PG_URL) dropped
    and created."""
    var, pg_url = Path(var or VAR), pg_url or PG_URL
    var.mkdir(parents=True, exist_ok=True)
    if db == "postgres":
        import psycopg

        name, admin = pg_url.rsplit("/", 1)[1], pg_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(str(var / "bench.sqlite3") + suffix).unlink(missing_ok=True)
    shutil.rmtree(var / "var", ignore_errors=True)
    (var / "var").mkdir(parents=True)


def run_clients(worker, clients, seconds):
    """Start `clients` threads of worker(i), wait for them (a little past `seconds`);
    returns the seconds they took."""
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    return time.monotonic() - started


def manage(env, *args, timeout=1800):
    started = time.monotonic()
    proc = subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout, time.monotonic() - started


def django_script(env, script, *args, timeout=600):
    """Run a bench/ script that sets Django up itself; it prints one JSON object last."""
    proc = subprocess.run([PYTHON, str(ROOT / "bench" / script), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{script} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- the server ----------------------------------------------------------------------


class Server:
    """gunicorn in its own process group; stop() ends that group and nothing else."""

    def __init__(self, env, *, workers, threads, timeout=60):
        self.env, self.workers, self.threads, self.timeout = env, workers, threads, timeout
        self.proc = None
        self.logfile = VAR / "gunicorn.log"

    @property
    def label(self):
        return f"gunicorn -w {self.workers}" + (f" --threads {self.threads} (gthread)" if self.threads > 1 else " (sync)")

    def start(self):
        cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "xinfang.wsgi", "-w", str(self.workers), "-b", f"{HOST}:{PORT}",
               "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"]
        if self.threads > 1:
            cmd += ["-k", "gthread", "--threads", str(self.threads)]
        self.log = open(self.logfile, "w")
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.logfile.read_text()[-3000:]}")
            try:
                status, _ = request("GET", "/api/v1/openapi.json", timeout=5)
                if status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within %ss" % self.timeout)

    def pids(self):
        """The master and its workers."""
        if self.proc is None or self.proc.poll() is not None:
            return []
        found, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                todo += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
            except OSError:
                pass
        return found

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        self.log.close()
        self.proc = None


def rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemoryWatch(threading.Thread):
    """Samples the server processes' resident memory; keeps the peaks."""

    def __init__(self, server, every=0.25):
        super().__init__(daemon=True)
        self.server, self.every = server, every
        self.peak_total = self.peak_process = 0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            sizes = [rss_kb(p) for p in self.server.pids()]
            if sizes:
                self.peak_total = max(self.peak_total, sum(sizes))
                self.peak_process = max(self.peak_process, max(sizes))
            self.stopping.wait(self.every)

    def stop(self):
        self.stopping.set()
        self.join(timeout=5)


# --- HTTP ------------------------------------------------------------------------------


class Client:
    """One keep-alive connection (reopened when the server closes it)."""

    def __init__(self, headers=None, timeout=30):
        self.headers = headers or {}
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        hdrs = dict(self.headers, **(headers or {}))
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, PORT, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                payload = resp.read()
                if resp.getheader("Connection", "").lower() == "close" or resp.will_close:
                    self.close()
                return resp.status, payload
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http.client.CannotSendRequest):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def request(method, path, body=None, headers=None, timeout=30):
    client = Client(headers=headers, timeout=timeout)
    try:
        return client.request(method, path, body)
    finally:
        client.close()


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def mark(ok):
    return "PASS" if ok else "MISS"


# --- CPU accounting --------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pids):
    """CPU seconds (user + system) used so far by these processes."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / TICK


def pids_named(name, containing=None):
    """Processes called `name` (and whose command line contains `containing`)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name and (
                        containing is None or containing in (entry / "cmdline").read_text()):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def bench_backends(database=None):
    """PostgreSQL backends serving the benchmark database (not other people's)."""
    return pids_named("postgres", containing=" " + (database or PG_URL.rsplit("/", 1)[1]) + " ")


def machine_cpu():
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


class CpuMeter:
    """CPU used during a phase by the server, PostgreSQL, this process and the rest."""

    def __init__(self, server, database=None):
        self.server, self.database = server, database

    def __enter__(self):
        # Backends live as long as their connections (CONN_MAX_AGE), so the same ones
        # are there before and after; new ones start from zero.
        self.pg = {pid: cpu_of([pid]) for pid in bench_backends(self.database)}
        self.start = (cpu_of(self.server.pids()), 0.0, sum(os.times()[:2]), machine_cpu())
        return self

    def __exit__(self, *exc):
        server, pg, me, (busy, total) = self.start
        self.server_s = cpu_of(self.server.pids()) - server
        self.pg_s = sum(cpu_of([pid]) - self.pg.get(pid, 0.0) for pid in bench_backends(self.database))
        self.client_s = sum(os.times()[:2]) - me
        busy2, total2 = machine_cpu()
        self.busy_s, self.wall_cores_s = busy2 - busy, total2 - total
        self.other_s = max(0.0, self.busy_s - self.server_s - self.pg_s - self.client_s)
        return False

    def per(self, n):
        n = max(n, 1)
        return (f"server {self.server_s / n * 1000:.1f} ms, postgres (bench backends) {self.pg_s / n * 1000:.1f} ms, "
                f"load client {self.client_s / n * 1000:.1f} ms, other processes {self.other_s / n * 1000:.1f} ms; "
                f"machine busy {self.busy_s / max(self.wall_cores_s, 1e-9) * 100:.0f}% of {os.cpu_count()} cores")
