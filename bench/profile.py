"""Where the time of one request goes: pyinstrument over N in-process requests against
the benchmark database (run registration.py first, or point DATABASE_URL/SQLITE_PATH
at any database holding the sample staff).

    .venv/bin/python bench/profile.py [--db sqlite|postgres] [--what register|list|work] [-n 200]

Needs pyinstrument (pip install pyinstrument); prints the call tree, slowest first.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--what", choices=("register", "list", "work"), default="register")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--depth", type=int, default=40, help="lines of the call tree to show per 1000 characters")
    args = parser.parse_args()

    from bench.common import database_env

    for key, value in database_env(args.db).items():
        if key in ("DATABASE_URL", "SQLITE_PATH", "XINFANG_VAR_DIR", "SECRET_KEY", "DEBUG"):
            os.environ[key] = value
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinfang.settings")
    import random

    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    from bench.registration import petition, texts
    from xinfang.org.models import User

    client = Client()
    token = client.post("/api/v1/auth/token", {"username": "dengji", "password": "Demo-2026-xf"}, content_type="application/json").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    rng, pool = random.Random(5), texts()
    if args.what == "work":
        client.force_login(User.objects.get(username="dengji"))

    def once():
        if args.what == "register":
            response = client.post("/api/v1/petitions", petition(rng, pool), content_type="application/json", **auth)
            assert response.status_code == 201, response.content[:300]
        elif args.what == "list":
            assert client.get("/api/v1/cases", {"waiting": "true", "limit": 50}, **auth).status_code == 200
        else:
            assert client.get("/work/").status_code == 200

    once()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.n):
        once()
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False))


if __name__ == "__main__":
    main()
