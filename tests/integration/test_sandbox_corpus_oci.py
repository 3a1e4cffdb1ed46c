"""The hostile corpus (tests/programs/sandbox/) against the OCI engine: the same cases and checks as
tests/integration/test_sandbox_corpus.py, whose loading and checking helpers this imports. The host
checks are this engine's own: no runtime container, bundle dir or per-run cgroup of ours is left, no
box-user process is left in our cgroups, and host files are untouched."""

import hashlib
import os
import secrets
import time
from pathlib import Path

import pytest

import sandbox
from sandbox import COMPILE_LIMITS, Outcome
from sandbox.engines.oci import ID_PREFIX, OciEngine
from tests.integration import test_sandbox_corpus as corpus
from tests.integration.host_checks import BOX_UID
from tests.integration.test_oci_engine import leftovers

pytestmark = pytest.mark.docker

GRACE_SECONDS = 5.0


@pytest.fixture(scope="module")
def engine():
    return OciEngine()


def _box_processes() -> list[str]:
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            status = (proc / "status").read_text().splitlines()
            cgroups = (proc / "cgroup").read_text()
        except OSError:
            continue
        uids = next((line.split()[1:] for line in status if line.startswith("Uid:")), [])
        if BOX_UID in uids and f"/{ID_PREFIX}{os.getpid()}-" in cgroups:
            found.append(f"pid {proc.name} {status[0]}")
    return found


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.fixture
def host_checks(engine, tmp_path):
    canary = tmp_path / "canary"
    canary.write_bytes(secrets.token_bytes(64))
    before = {path: _fingerprint(path) for path in (canary, Path("/etc/passwd"))}
    yield
    engine.drain()  # spare boxes made ahead, and boxes whose removal is still in flight
    deadline = time.monotonic() + GRACE_SECONDS
    while (left := leftovers(engine) + _box_processes()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"left behind: {left}"
    assert {path: _fingerprint(path) for path in before} == before, "a host file changed during the run"


@pytest.mark.parametrize("case_dir", corpus.CASES, ids=[case.name for case in corpus.CASES])
def test_hostile_program(case_dir, engine, host_checks):
    case = corpus._load(case_dir)
    expected = case["expect"] if isinstance(case["expect"], list) else [case["expect"]]
    limits = corpus._limits(case)
    started = time.monotonic()
    compiled, result = sandbox.run(
        language=case["lang"],
        source=corpus._source(case_dir, case["lang"]),
        stdin=corpus._stdin(case),
        limits=limits,
        engine=engine,
    )
    elapsed = time.monotonic() - started
    assert compiled.outcome != Outcome.IE, f"{case['why']}\ncompile IE: {compiled.output}"
    if expected == [Outcome.CE]:
        assert compiled.outcome == Outcome.CE, f"{case['why']}\ngot {compiled.outcome}: {compiled.output}"
        assert result is None
        bound = COMPILE_LIMITS.wall + corpus.COMPILE_GRACE_SECONDS
        assert elapsed <= bound, f"{case['why']}\nthe compile took {elapsed:.1f} s, over {bound:.0f} s"
        corpus._check_text(case, compiled.output.encode(), f"compiler output: {compiled.output[-2000:]}")
        return
    assert compiled.outcome == Outcome.OK, f"{case['why']}\ncompile {compiled.outcome}: {compiled.output}"
    assert result.outcome != Outcome.IE, f"{case['why']}\n{corpus._describe(result)}"
    assert result.outcome in expected, f"{case['why']}\nexpected {expected}, got {corpus._describe(result)}"
    corpus._check_run(case, limits, result)
