"""A rate limit holds exactly across server processes: two processes counting the same
limit at the same moment let through exactly the allowed number, with the cache the
settings give a deployment (files shared by the machine's processes) and with Redis.

Each process here is a real Python process with the project's settings, as a gunicorn
worker of scripts/serve.sh is: nothing is shared but the cache."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ALLOWED, EACH = 60, 65  # two processes try 130 reveals against 60 an hour

HAMMER = """
import os, sys, time, django
django.setup()
from xinfang.lib import ratelimit
# A barrier: each process says it is ready, then waits for the other, so both count at once.
ready = sys.argv[1]
open(os.path.join(ready, str(os.getpid())), "w").close()
while len(os.listdir(ready)) < 2:
    time.sleep(0.001)
passed = sum(ratelimit.hit("reveal_user", sys.argv[2]) for _ in range(int(sys.argv[3])))
print(passed)
"""


def hammer(tmp_path, ident, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    environment.update(DJANGO_SETTINGS_MODULE="xinfang.settings", XINFANG_VAR_DIR=str(tmp_path / "var"),
                       STAFF_RATE_LIMITS=f'{{"reveal_user": "{ALLOWED}/1h"}}', PYTHONPATH=str(ROOT), **env)
    ready = tmp_path / "ready"
    ready.mkdir()
    workers = [subprocess.Popen([sys.executable, "-c", HAMMER, str(ready), ident, str(EACH)], cwd=ROOT, env=environment,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [worker.communicate(timeout=120) for worker in workers]
    for worker, (_, err) in zip(workers, results):
        assert worker.returncode == 0, err
    return [int(out) for out, _ in results]


def test_the_default_cache_counts_two_processes_exactly(tmp_path):
    passed = hammer(tmp_path, "clerk-files")
    assert sum(passed) == ALLOWED, passed
    assert all(n > 0 for n in passed)  # both processes really counted


def test_redis_counts_two_processes_exactly(tmp_path):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    passed = hammer(tmp_path, f"clerk-redis-{os.getpid()}-{time.time_ns()}", REDIS_URL=url)
    assert sum(passed) == ALLOWED, passed
