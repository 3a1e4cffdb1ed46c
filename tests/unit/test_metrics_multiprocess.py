"""Several processes on one machine (web processes, Celery pool processes) count into
PROMETHEUS_MULTIPROC_DIR, and one scrape there sums them all."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

COUNT = """
from judge.metrics import hooks
from sandbox import Outcome, RunResult
hooks.run_observed(language="cpp", tenant="demo", run=RunResult(Outcome.OK, cpu_time=0.25, memory=4 << 20))
hooks.container_failed(reason="run")
"""
SCRAPE = """
from prometheus_client import generate_latest
from judge.metrics.exposition import machine_registry
print(generate_latest(machine_registry()).decode())
"""


def _python(code: str, folder: Path) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder), "DJANGO_SETTINGS_MODULE": ""}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_scrape_sums_every_process_of_the_machine(tmp_path):
    for _ in range(3):
        _python(COUNT, tmp_path)
    text = _python(SCRAPE, tmp_path)

    assert 'ojudge_runs_total{language="cpp",outcome="OK",tenant="demo"} 3.0' in text
    assert 'ojudge_container_failures_total{reason="run"} 3.0' in text
    assert 'ojudge_run_cpu_seconds_sum{language="cpp"} 0.75' in text
    assert 'ojudge_run_memory_bytes_bucket{language="cpp",le="4.194304e+06"} 3.0' in text
