#!/usr/bin/env bash
# Run the whole suite on SQLite, then again on PostgreSQL, then the code checks:
# import-linter (the layers contracts in pyproject.toml, docs/decisions.md "Layers"),
# bandit (security lint, medium and high findings) and pip-audit (known vulnerabilities
# in the installed dependencies; says "skipped" when no vulnerability service answers).
# PostgreSQL: $TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/xinfang.
# When it cannot be reached: outside CI, say so and stop after SQLite; under CI=true, fail.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/xinfang}"
ARGS=(-q -n 2 --dist loadfile "$@")

echo "== Tests on SQLite"
env -u DATABASE_URL "$PY" -m pytest "${ARGS[@]}"
sqlite_rc=$?

if "$PY" - "$PG_URL" <<'PYCODE' 2>/dev/null
import sys, psycopg
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username, dbname="postgres", connect_timeout=3).close()
PYCODE
then
  echo "== Tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" "$PY" -m pytest "${ARGS[@]}"
  pg_rc=$?
else
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL at $PG_URL cannot be reached, and CI requires it: failing." >&2
    exit 1
  fi
  echo "!! PostgreSQL at $PG_URL cannot be reached: the PostgreSQL run is SKIPPED (only SQLite was tested)." >&2
  pg_rc=0
fi

echo "== import-linter (layers contracts in pyproject.toml)"
# --no-cache: the graph is built from this tree every time (a few seconds), never from a
# cache another checkout of the same package wrote.
.venv/bin/lint-imports --no-cache --no-logo
layers_rc=$?

echo "== bandit (medium and high severity)"
# bandit warns about every `# nosec` on a line where another node raised nothing: noise.
.venv/bin/bandit -r xinfang -ll -q 2>&1 | grep -v "no failed test on file"
bandit_rc=${PIPESTATUS[0]}
[ "$bandit_rc" -eq 0 ] && echo "bandit: no medium or high findings"

echo "== pip-audit (installed dependencies)"
"$PY" scripts/audit_deps.py
audit_rc=$?

if [ $sqlite_rc -ne 0 ] || [ $pg_rc -ne 0 ] || [ $layers_rc -ne 0 ] || [ $bandit_rc -ne 0 ] || [ $audit_rc -ne 0 ]; then
  echo "Failed (tests: SQLite exit $sqlite_rc, PostgreSQL exit $pg_rc; import-linter exit $layers_rc; bandit exit $bandit_rc; pip-audit exit $audit_rc)." >&2
  exit 1
fi
