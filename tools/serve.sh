#!/usr/bin/env bash
# `make serve`: the production-like stack on this machine. DEBUG off, gunicorn, the database
# task worker and the scheduler; plain HTTP on 127.0.0.1 (no TLS here, so no secure cookies).
# Uses DATABASE_URL, REDIS_URL and S3_* when they are set, else SQLite and local files.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DEBUG=0 TASK_BACKEND=database SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0
export SECRET_KEY="${SECRET_KEY:-$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export BIND="${BIND:-127.0.0.1:${PORT:-8000}}"
export SITE_URL="${SITE_URL:-http://${BIND}}"

$BIN/python manage.py migrate --noinput
# Hashing and compressing the static files takes a while: only when they changed.
manifest="${STATIC_ROOT:-staticfiles}/staticfiles.json"
if [ ! -f "$manifest" ] || [ -n "$(find static requirements -newer "$manifest" -print -quit)" ]; then
  echo "Collecting the static files (hashed, compressed)…"
  $BIN/python manage.py collectstatic --noinput -v 0
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait; }
trap cleanup EXIT INT TERM
$BIN/python manage.py worker --worker-id "$(hostname)-serve" & pids+=($!)
$BIN/python manage.py scheduler & pids+=($!)
$BIN/gunicorn ess_metro.wsgi & pids+=($!)
echo "ESS Métro on ${SITE_URL} (gunicorn, worker, scheduler); Ctrl+C stops all three."
wait -n
