# Shared by scripts/run.sh and scripts/test.sh: install what is missing, start what is not running.
# Every step is idempotent and quick when there is nothing to do.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
REDIS_PORT=${OJ_REDIS_PORT:-6379}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    apt-cache show "$@" >/dev/null 2>&1 || apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}

ensure_venv() {
    local extras=$1 stamp
    stamp="$VENV/.installed-$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)-$extras"
    [ -x "$PY" ] || { say "creating the virtualenv"; python3 -m venv "$VENV"; }
    if [ ! -f "$stamp" ]; then
        say "installing Python packages ($extras)"
        "$PY" -m pip install -q --upgrade pip
        if [ "$extras" = test ]; then "$PY" -m pip install -q -e "$ROOT[test]"; else "$PY" -m pip install -q -e "$ROOT"; fi
        rm -f "$VENV"/.installed-*
        touch "$stamp"
    fi
}

ensure_redis() {
    [ -n "${REDIS_URL:-}" ] && return 0  # an outside Redis was configured; nothing to start here
    have redis-server || { say "installing redis-server"; apt_install redis-server; }
    if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
        say "starting Redis on 127.0.0.1:$REDIS_PORT"
        redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
        for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
}

ensure_sandbox() {
    bash "$ROOT/scripts/docker-engine.sh"
    say "building sandbox images (only those whose recipe changed)"
    (cd "$ROOT" && "$PY" -m sandbox.images)
}

ensure_secret_key() {
    [ -n "${SECRET_KEY:-}" ] && return 0
    local dir=${OJ_VAR_DIR:-$ROOT/var}  # manage.py reads the key back from the same file
    mkdir -p "$dir"
    [ -s "$dir/secret_key" ] || (umask 077 && "$PY" -c 'import secrets; print(secrets.token_hex(32))' >"$dir/secret_key")
    SECRET_KEY=$(cat "$dir/secret_key")
    export SECRET_KEY
}
