"""Hostile programs against the real engines: each case in tests/programs/sandbox/ runs once on each
engine (DockerEngine and OciEngine; only $SANDBOX_ENGINE's when that is set).

A case is a folder with one source file and a case.yml (the keys are checked, without Docker, by
tests/unit/test_sandbox_corpus_files.py). For CE cases the text checks apply to the compiler output.
After every case the host is checked too (tests/integration/host_checks.py): the engine answers, the
case's boxes were seen and none is left, no box process is left, and a canary file is untouched.
CE cases (compile bombs among them) must also end within the compile wall limit.
"""

import os
import time
from pathlib import Path

import pytest
import yaml

import sandbox
from sandbox import COMPILE_LIMITS, Limits, MiB, Outcome
from sandbox.engines import DOCKER_ENGINE, OCI_ENGINE
from tests.integration.host_checks import BOX_UID, host_checked

pytestmark = pytest.mark.docker

CORPUS = Path(__file__).resolve().parent.parent / "programs" / "sandbox"
CASES = sorted(path for path in CORPUS.iterdir() if path.is_dir())
ENGINES = [os.environ["SANDBOX_ENGINE"]] if os.environ.get("SANDBOX_ENGINE") else [DOCKER_ENGINE, OCI_ENGINE]
# A compile bomb must end by the compile wall limit; the engine may add this much for its container steps.
COMPILE_GRACE_SECONDS = 15.0
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


@pytest.fixture(scope="module", params=ENGINES, ids=lambda path: path.rpartition(".")[2])
def engine(request):
    # tests/conftest.py has already failed (or, with OJ_ALLOW_NO_DOCKER=1, skipped) the run without an engine.
    return sandbox.engine_get(request.param)


@pytest.fixture
def host_checks(engine, tmp_path, monkeypatch):
    with host_checked(engine, tmp_path, monkeypatch):
        yield


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
def test_hostile_program(case_dir, engine, host_checks):
    case = _load(case_dir)
    expected = case["expect"] if isinstance(case["expect"], list) else [case["expect"]]
    limits = _limits(case)
    started = time.monotonic()
    compiled, result = sandbox.run(
        language=case["lang"],
        source=_source(case_dir, case["lang"]),
        stdin=_stdin(case),
        limits=limits,
        engine=engine,
    )
    elapsed = time.monotonic() - started
    assert compiled.outcome != Outcome.IE, f"{case['why']}\ncompile IE: {compiled.output}"
    if expected == [Outcome.CE]:
        assert compiled.outcome == Outcome.CE, f"{case['why']}\ngot {compiled.outcome}: {compiled.output}"
        assert result is None
        bound = COMPILE_LIMITS.wall + COMPILE_GRACE_SECONDS
        assert elapsed <= bound, f"{case['why']}\nthe compile took {elapsed:.1f} s, over {bound:.0f} s"
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
