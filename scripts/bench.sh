#!/usr/bin/env bash
# Print the sandbox, pipeline and scoreboard figures, then the fast-engine issue's table (both engines
# side by side). Speed targets live here, never in timed tests.
# Sample sizes: OJ_BENCH_RUNS (sandbox runs per program, default 30) and OJ_BENCH_SUBMISSIONS (default 20).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
# The test extras hold everything the benchmarks need: keep them if installed instead of reinstalling.
if compgen -G "$VENV/.installed-*-test" >/dev/null; then ensure_venv test; else ensure_venv run; fi
ensure_redis
ensure_sandbox
FIGURES=$(mktemp /tmp/ojbench-figures.XXXXXX)
trap 'rm -f "$FIGURES"' EXIT
ENGINES=docker
if "$PY" -c 'import sys; from sandbox.engines.oci import oci_usable; sys.exit(not oci_usable()[0])'; then
    ENGINES=docker,oci
fi
say "sandbox: overhead per run, where the time goes, compile time, throughput ($ENGINES)"
"$PY" bench/sandbox_bench.py --runs "${OJ_BENCH_RUNS:-30}" --engines "$ENGINES" --figures "$FIGURES"
for engine in ${ENGINES//,/ }; do
    say "pipeline ($engine): submit to verdict through a real Celery worker (scratch database, own Redis db and queue)"
    "$PY" bench/pipeline_bench.py --submissions "${OJ_BENCH_SUBMISSIONS:-20}" --engine "$engine" --figures "$FIGURES"
done
say "scoreboard: a 500-team contest's page and the cost of one verdict (scratch database, own Redis db)"
"$PY" bench/scoreboard_bench.py
say "the fast engine's figures (issue 13), both engines from this run"
"$PY" bench/figures.py "$FIGURES"
