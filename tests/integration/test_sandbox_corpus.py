"""Hostile programs against the real Docker engine: each case in tests/programs/sandbox/ runs once.

A case is a folder with one source file and a case.yml (the keys are checked, without Docker, by
tests/unit/test_sandbox_corpus_files.py). For CE cases the text checks apply to the compiler output.
After every case the host is checked too: the engine answers, no run container or box process is
left, and a canary file on the host is untouched.
"""

import hashlib
import os
import re
import secrets
import time
from pathlib import Path

import docker
import pytest
import yaml

import sandbox
from sandbox import Limits, MiB, Outcome

pytestmark = pytest.mark.docker

CORPUS = Path(__file__).resolve().parent.parent / "programs" / "sandbox"
CASES = sorted(path for path in CORPUS.iterdir() if path.is_dir())
BOX_UID = "10000"
RUN_LABEL = "ojudge.run"
LEFTOVER_GRACE_SECONDS = 5.0
CONTAINER_ID = re.compile(r"[0-9a-f]{64}")
# case.yml limit key -> (Limits field, unit in bytes or 1)
LIMIT_FIELDS = {
    "cpu_time": ("cpu_time", 1),
    "wall_time": ("wall_time", 1),
    "memory_mib": ("memory", MiB),
    "processes": ("processes", 1),
    "output_kib": ("output", 1024),
    "file_size_kib": ("file_size", 1024),
    "open_files": ("open_files", 1),
    "work_dir_mib": ("work_dir", MiB),
}


@pytest.fixture(scope="module")
def docker_client():
    # tests/conftest.py has already failed (or, with OJ_ALLOW_NO_DOCKER=1, skipped) the run without an engine.
    return docker.from_env(timeout=30)


def _created_between(client, since: float, until: float) -> set[str]:
    """IDs of run containers created in the window, whoever created them."""
    # The engine takes seconds.nanoseconds (all nine digits); an `until` in the future would block.
    events = client.events(
        since=f"{since - 0.5:.9f}",
        until=f"{until:.9f}",
        decode=True,
        filters={"type": "container", "event": "create", "label": RUN_LABEL},
    )
    return {event["id"] for event in events}


def _box_processes(ours: set[str]) -> list[str]:
    """Box-user processes of our containers, or of no container at all (an escape)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            status = (proc / "status").read_text().splitlines()
            cgroups = (proc / "cgroup").read_text()
        except OSError:  # the process ended while we looked
            continue
        uids = next((line.split()[1:] for line in status if line.startswith("Uid:")), [])
        container = CONTAINER_ID.search(cgroups)
        if BOX_UID in uids and (container is None or container.group(0) in ours):
            found.append(
                f"pid {proc.name} {status[0]} in {container.group(0)[:12] if container else 'no container'}"
            )
    return found


def _leftovers(client, ours: set[str]) -> tuple[list[str], list[str]]:
    """Our run containers and box processes still there after a short grace period.

    Only containers created while the case ran count, so that another process judging on the same
    engine (a worker, another suite) doesn't fail this one; run alone, that is every run container.
    """
    deadline = time.monotonic() + LEFTOVER_GRACE_SECONDS
    while True:
        # One list call, no per-container inspect: a container removed meanwhile must not raise.
        listed = client.api.containers(all=True, filters={"label": RUN_LABEL})
        containers = [f"{c['Names'][0]} {c['Status']} {c['Command']!r}" for c in listed if c["Id"] in ours]
        processes = _box_processes(ours)
        if not (containers or processes) or time.monotonic() > deadline:
            return containers, processes
        time.sleep(0.2)


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.fixture
def host_checks(docker_client, tmp_path):
    canary = tmp_path / "canary"
    canary.write_bytes(secrets.token_bytes(64))
    before = {path: _fingerprint(path) for path in (canary, Path("/etc/passwd"))}
    started = time.time()
    yield
    docker_client.ping()
    ours = _created_between(docker_client, started, time.time())
    containers, processes = _leftovers(docker_client, ours)
    assert not containers, f"run containers left behind: {containers}"
    assert not processes, f"box-user processes left on the host: {processes}"
    after = {path: _fingerprint(path) for path in before}
    assert after == before, "a host file changed during the run"


def _load(case_dir: Path) -> dict:
    return yaml.safe_load((case_dir / "case.yml").read_text())


def _limits(case: dict) -> Limits:
    fields = {}
    for key, value in case.get("limits", {}).items():
        name, unit = LIMIT_FIELDS[key]
        fields[name] = value if unit == 1 else int(value * unit)
    return Limits(**fields)


def _stdin(case: dict) -> bytes:
    if "stdin_size_kib" in case:
        return b"1 2 3 4 5 6 7\n" * (case["stdin_size_kib"] * 1024 // 14)
    return case.get("stdin", "").encode()


def _source(case_dir: Path, lang: str) -> bytes:
    return (case_dir / sandbox.language_get(lang).source_name).read_bytes()


def _texts(case: dict, key: str) -> list[str]:
    value = case.get(key, [])
    return value if isinstance(value, list) else [value]


def _describe(result) -> str:
    return (
        f"{result.outcome} exit={result.exit_code} signal={result.signal} cpu={result.cpu_time:.2f}s "
        f"wall={result.wall_time:.2f}s memory={result.memory / MiB:.1f}MiB message={result.message!r}\n"
        f"stdout: {result.stdout[:800]!r}\nstderr: {result.stderr[:800]!r}"
    )


def _check_text(case: dict, text: bytes, context: str) -> None:
    for wanted in _texts(case, "stdout_contains"):
        assert wanted.encode() in text, f"{wanted!r} missing\n{context}"
    for unwanted in _texts(case, "stdout_not_contains"):
        assert unwanted.encode() not in text, f"{unwanted!r} present\n{context}"


def _check_range(case: dict, key: str, value: float, context: str) -> None:
    if key in case:
        low, high = case[key]
        assert low <= value <= high, f"{key} {value:.2f} not in [{low}, {high}]\n{context}"


def _check_run(case: dict, limits: Limits, result) -> None:
    context = _describe(result)
    for key in ("exit_code", "signal"):
        actual = getattr(result, key)
        assert key not in case or actual == case[key], f"{key} {actual} != {case.get(key)}\n{context}"
    _check_range(case, "cpu_time", result.cpu_time, context)
    _check_range(case, "wall_time", result.wall_time, context)
    _check_range(case, "memory_mib", result.memory / MiB, context)
    _check_range(case, "stdout_size_kib", len(result.stdout) / 1024, context)
    _check_text(case, result.stdout, context)
    assert len(result.stdout) <= limits.output, f"stdout beyond the output limit\n{context}"
    assert len(result.stderr) <= limits.output, f"stderr beyond the output limit\n{context}"


@pytest.mark.parametrize("case_dir", CASES, ids=[case.name for case in CASES])
def test_hostile_program(case_dir, host_checks):
    case = _load(case_dir)
    expected = case["expect"] if isinstance(case["expect"], list) else [case["expect"]]
    limits = _limits(case)
    compiled, result = sandbox.run(
        language=case["lang"], source=_source(case_dir, case["lang"]), stdin=_stdin(case), limits=limits
    )
    assert compiled.outcome != Outcome.IE, f"{case['why']}\ncompile IE: {compiled.output}"
    if expected == [Outcome.CE]:
        assert compiled.outcome == Outcome.CE, f"{case['why']}\ngot {compiled.outcome}: {compiled.output}"
        assert result is None
        _check_text(case, compiled.output.encode(), f"compiler output: {compiled.output[-2000:]}")
        return
    assert compiled.outcome == Outcome.OK, f"{case['why']}\ncompile {compiled.outcome}: {compiled.output}"
    assert result.outcome != Outcome.IE, f"{case['why']}\n{_describe(result)}"
    assert result.outcome in expected, f"{case['why']}\nexpected {expected}, got {_describe(result)}"
    _check_run(case, limits, result)


def test_box_user_is_not_a_host_account():
    # Box processes are found on the host by uid; a real host account with that uid would blur the check.
    accounts = Path("/etc/passwd").read_text().splitlines()
    owners = [line for line in accounts if line.split(":")[2:3] == [BOX_UID]]
    assert not owners, f"uid {BOX_UID} belongs to a host account: {owners}"
    assert os.getuid() != int(BOX_UID)
