"""Every language through the real sandbox: its self-test, then A+B programs in tests/programs/languages/
that must get AC, WA, TLE, RE, CE, MLE and OLE (an output flood), and a fork or thread bomb that must end
and leave the host clean.

The verdict comes from the file's stem (see tests/programs/languages/README.md); AC/WA compare tokens.
"""

import time
from pathlib import Path

import pytest

import sandbox
from sandbox import LANGUAGES, Limits, MiB, Outcome
from sandbox.images import language_versions
from tests.integration.host_checks import host_checked

pytestmark = pytest.mark.docker

CASES_DIR = Path(__file__).resolve().parent.parent / "programs" / "languages"
CASES = sorted(path for path in CASES_DIR.glob("*/*.*") if path.suffix != ".md")
LIMITS = Limits(cpu_time=2.0, memory=64 * MiB)  # JVM start-up takes about half a second of CPU
STEM_LIMITS = {"flood": LIMITS.with_(output=1024 * 1024)}
STDIN, ANSWER = b"1000000000000 -7\n", [b"999999999993"]
FAIR = {
    "ac": {"AC"},
    "wa": {"WA"},
    "tle": {"TLE"},
    "re": {"RE"},
    "ce": {"CE"},
    "mle": {"MLE"},
    "flood": {"OLE"},
    # A bomb is refused (RE, a loop retrying until TLE, or a message: WA), or its runtime runs out of
    # memory; it must end, and leave nothing behind.
    "bomb": {"TLE", "RE", "WA", "MLE"},
}


@pytest.fixture
def host_checks(tmp_path, monkeypatch):
    with host_checked(sandbox.engine_get(), tmp_path, monkeypatch):  # the default engine, as judging uses
        yield


def _verdict(path: Path) -> tuple[str, str]:
    limits = STEM_LIMITS.get(path.stem, LIMITS)
    compiled, result = sandbox.run(
        language=path.parent.name, source=path.read_bytes(), stdin=STDIN, limits=limits
    )
    if result is None:
        return str(compiled.outcome), compiled.output[-1500:]
    detail = (
        f"{result.outcome} exit={result.exit_code} signal={result.signal} cpu={result.cpu_time:.2f}s "
        f"memory={result.memory / MiB:.0f}MiB {result.message!r}\n"
        f"stdout: {result.stdout[:300]!r}\nstderr: {result.stderr[-800:]!r}"
    )
    if result.outcome != Outcome.OK:
        return str(result.outcome), detail
    return ("AC" if result.stdout.split() == ANSWER else "WA"), detail


def test_every_language_has_its_cases():
    for key in LANGUAGES:
        stems = {path.stem for path in (CASES_DIR / key).iterdir()}
        assert stems == set(FAIR), key


@pytest.mark.parametrize("key", sorted(LANGUAGES))
def test_self_test(key):
    compiled, result = sandbox.run(language=key, source=LANGUAGES[key].self_test, stdin=b"42\n")
    assert compiled.ok, compiled.output
    assert result.ok and result.stdout.strip() == b"ok 42", result


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}-{p.stem}" for p in CASES])
def test_verdict(path, host_checks):
    started = time.monotonic()
    verdict, detail = _verdict(path)
    assert verdict in FAIR[path.stem], f"{path.parent.name}/{path.name}: got {verdict}\n{detail}"
    assert time.monotonic() - started < 90


def test_every_image_is_labelled_with_its_versions():
    versions = language_versions()
    assert set(versions) == set(LANGUAGES)
    assert all(versions.values()), versions
