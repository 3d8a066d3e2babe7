"""SQL queries per request, counted in-process (CaptureQueriesContext) against the
database named by the environment. Prints one JSON object.

    DATABASE_URL=… .venv/bin/python bench/querycount.py [--user dengji] [--session] [--sql]

Counts: the my-work API list (GET /api/v1/cases?waiting=true&limit=50), the my-work page
(/work/) when the web app serves it, and one registration (POST /api/v1/petitions).
Each is requested once first, so one-off work (loading the holiday table, say) is not
counted. With --session it also creates a login session for the user and prints its key
(for timing /work/ over HTTP).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from xinfang.cases.models import Case  # noqa: E402
from xinfang.org.models import User  # noqa: E402

DEMO_PASSWORD = "Demo-2026-xf"


def counted(fn, show_sql=False):
    fn()  # warm: caches, first-request work
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = fn()
        ms = (time.perf_counter() - started) * 1000
    out = {"status": response.status_code, "queries": len(ctx.captured_queries), "ms": round(ms, 1)}
    if show_sql:
        out["sql"] = [f"{q['time']}s {q['sql'][:400]}" for q in ctx.captured_queries]
    return out


def payload(n):
    return {"channel": "letter", "receiving_unit": "341122-XFJ", "title": f"计数用登记{n}", "content": "用于统计每次登记的查询数。",
            "kind": "grievance", "petitioners": [{"name": "计数人", "phone": "13900000000"}]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", default="dengji")
    parser.add_argument("--session", action="store_true")
    parser.add_argument("--sql", action="store_true")
    args = parser.parse_args()

    user = User.objects.get(username=args.user)
    result = {"cases": Case.objects.count(), "vendor": connection.vendor}
    client = Client()
    resp = client.post("/api/v1/auth/token", {"username": args.user, "password": DEMO_PASSWORD}, content_type="application/json")
    if resp.status_code in (200, 201):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {resp.json()['token']}"}
        result["api_list"] = counted(lambda: client.get("/api/v1/cases", {"waiting": "true", "limit": 50}, **auth), args.sql)
        result["api_list_all"] = counted(lambda: client.get("/api/v1/cases", {"limit": 50}, **auth), args.sql)
        n = iter(range(1, 10))
        result["api_register"] = counted(lambda: client.post("/api/v1/petitions", payload(next(n)), content_type="application/json", **auth), args.sql)
    else:
        result["api"] = f"no token: HTTP {resp.status_code}"
    web = Client()
    web.force_login(user)
    probe = web.get("/work/")
    if probe.status_code == 200:
        result["web_work"] = counted(lambda: web.get("/work/"), args.sql)
    else:
        result["web_work"] = f"HTTP {probe.status_code}"
    if args.session:
        store = import_string("django.contrib.sessions.backends.db.SessionStore")()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        result["session"] = store.session_key
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
