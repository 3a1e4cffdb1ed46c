#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite: unit, integration (real Docker sandbox,
# Redis) and browser (Debian's Chromium driven by Playwright). Extra arguments go to pytest.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv test
ensure_redis
ensure_sandbox
if ! have chromium; then say "installing chromium for the browser tests"; apt_install chromium; fi
if ! have initdb && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing PostgreSQL for the database tests"; apt_install postgresql
fi
export SECRET_KEY=${SECRET_KEY:-test-only-secret-key-not-for-production}
export DEBUG=false
say "ruff"
"$VENV/bin/ruff" check .
say "pytest"
"$VENV/bin/pytest" "$@"
