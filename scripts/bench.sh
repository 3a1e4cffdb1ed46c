#!/usr/bin/env bash
# Print the sandbox, pipeline and scoreboard figures. Speed targets live here, never in timed tests.
# Sample sizes: OJ_BENCH_RUNS (sandbox runs per program, default 30) and OJ_BENCH_SUBMISSIONS (default 20).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
# The test extras hold everything the benchmarks need: keep them if installed instead of reinstalling.
if compgen -G "$VENV/.installed-*-test" >/dev/null; then ensure_venv test; else ensure_venv run; fi
ensure_redis
ensure_sandbox
say "sandbox: overhead per run, where the time goes, compile time, throughput"
"$PY" bench/sandbox_bench.py --runs "${OJ_BENCH_RUNS:-30}"
say "pipeline: submit to verdict through a real Celery worker (scratch database, own Redis db and queue)"
"$PY" bench/pipeline_bench.py --submissions "${OJ_BENCH_SUBMISSIONS:-20}"
say "scoreboard: a 500-team contest's page and the cost of one verdict (scratch database, own Redis db)"
"$PY" bench/scoreboard_bench.py
