"""Running out of memory is MLE in every runtime, through the real sandbox: each language's memory hog
in tests/programs/memory/ (the kernel's OOM kill, or the runtime's own error at its heap cap, which
sandbox/languages.py sets from the limit) gets MLE at about the limit, and a program holding half the
limit in the same runtime still runs to its end."""

from pathlib import Path

import pytest

import sandbox
from sandbox import LANGUAGES, Limits, MiB, Outcome

pytestmark = pytest.mark.docker

PROGRAMS = Path(__file__).resolve().parents[1] / "programs" / "memory"
LIMITS = Limits(cpu_time=3.0, memory=128 * MiB)  # not the 64 MiB of the language cases: heap caps scale
HOGS = sorted(PROGRAMS.glob("*/hog*.*"))
FITS = sorted(PROGRAMS.glob("*/fits.*"))


def _run(path: Path) -> sandbox.RunResult:
    compiled, result = sandbox.run(language=path.parent.name, source=path.read_bytes(), limits=LIMITS)
    assert result is not None, compiled.output[-1500:]
    return result


def _detail(result: sandbox.RunResult) -> str:
    return (
        f"{result.outcome} exit={result.exit_code} signal={result.signal} "
        f"memory={result.memory / MiB:.0f}MiB "
        f"cpu={result.cpu_time:.2f}s {result.message!r} stderr={result.stderr[-600:]!r}"
    )


@pytest.mark.parametrize("path", HOGS, ids=[f"{p.parent.name}-{p.stem}" for p in HOGS])
def test_memory_hog_is_memory_limit_exceeded(path):
    result = _run(path)
    assert result.outcome == Outcome.MLE, _detail(result)
    assert result.memory >= LIMITS.memory * 0.5, _detail(result)


@pytest.mark.parametrize("path", FITS, ids=[p.parent.name for p in FITS])
def test_half_the_limit_still_fits(path):
    result = _run(path)
    assert result.outcome == Outcome.OK and result.stdout.split() == [b"ok", b"48"], _detail(result)


def test_every_language_with_out_of_memory_markers_has_a_hog_and_a_control():
    hogs = {path.parent.name for path in HOGS}
    assert (
        hogs
        == {path.parent.name for path in FITS}
        == {k for k, lang in LANGUAGES.items() if lang.oom_markers}
    )
    assert {p.stem for p in PROGRAMS.glob("java/hog*.*")} == {"hog", "hog_direct"}
