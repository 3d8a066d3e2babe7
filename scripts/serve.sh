#!/usr/bin/env bash
# Serve Xinfang: the background worker (huey: deferred indexing, the catch-up sweep, the
# nightly training of the suggestion models, the outbox's sweep every minute) and the web server. Stopping the web server
# (Ctrl-C) stops the worker too.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$VENV/bin/python" manage.py run_huey --workers 1 --flush-locks >var/huey.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Background worker started (pid $worker, log var/huey.log)"
echo "Xinfang is at http://$HOST:$PORT/  (admin: /admin/, API docs: /api/v1/docs)"
"$VENV/bin/gunicorn" xinfang.wsgi --bind "$HOST:$PORT" --workers 2 --threads 4 --access-logfile -
