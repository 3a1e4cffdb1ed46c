#!/usr/bin/env bash
# One command from a fresh clone to a running judge on http://127.0.0.1:8000 (Ctrl-C stops it all).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv run
ensure_redis
ensure_sandbox
ensure_secret_key
export DEBUG=${DEBUG:-false}
# Plain HTTP on this machine: cookies can't be HTTPS-only here (behind a TLS proxy, leave this unset).
export SECURE_COOKIES=${SECURE_COOKIES:-false}
say "preparing the database"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_samples
"$PY" manage.py collectstatic --noinput -v0

# Every web and worker process here counts into one folder, so /metrics sums them (emptied at each start).
export PROMETHEUS_MULTIPROC_DIR=${PROMETHEUS_MULTIPROC_DIR:-$ROOT/var/prometheus}
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

pids=()
cleanup() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; say "stopped"; }
trap cleanup INT TERM EXIT
say "starting the judge worker"
"$VENV/bin/celery" -A judge worker -B -Q judging,housekeeping --concurrency "${OJ_WORKERS:-2}" -l info --schedule "$ROOT/var/celerybeat" &
pids+=($!)
if [ "${JUDGE_EXECUTION:-local}" = hosts ]; then
  # The execution plane apart, on this machine: a judge host with its own token and key, and no
  # database, Redis or secret key in its environment (the site's worker then only keeps house).
  token_file="$ROOT/var/judge-host-token"
  if [ ! -s "$token_file" ]; then
    (umask 077 && "$PY" manage.py judge_host_add "local-$(date +%s)" > "$token_file.new" && mv "$token_file.new" "$token_file")
  fi
  say "starting a judge host"
  env -i PATH="$PATH" HOME="$HOME" JUDGE_HOST_TOKEN="$(cat "$token_file")" ${DOCKER_HOST:+DOCKER_HOST="$DOCKER_HOST"} ${SANDBOX_ENGINE:+SANDBOX_ENGINE="$SANDBOX_ENGINE"} \
    "$PY" -m sandbox.host --site "http://127.0.0.1:${OJ_PORT:-8000}" --capacity "${OJ_WORKERS:-2}" --poll-max 1 \
    --key-file "$ROOT/var/judge-host-signing.key" --cache-dir "$ROOT/var/judge-host-cache" &
  pids+=($!)
fi
say "serving on http://${OJ_HOST:-127.0.0.1}:${OJ_PORT:-8000}  (log in as student / student-pass-123)"
"$VENV/bin/daphne" -b "${OJ_HOST:-127.0.0.1}" -p "${OJ_PORT:-8000}" judge.asgi:application &
pids+=($!)
wait -n "${pids[@]}"
