"""Is this output right? Built-in comparisons, plus custom checker programs run in the sandbox.

Custom checkers follow Kattis output validators: `checker input answer feedback_dir < output`,
exit 42 accepts, 43 rejects; `feedback_dir/judgemessage.txt` is the message and
`feedback_dir/score.txt` an optional score in [0, 1].
"""

import math
from dataclasses import dataclass

from sandbox.engines.base import Engine
from sandbox.runner import run_files
from sandbox.types import ACCEPT_EXIT, REJECT_EXIT, Limits, MiB, Outcome, Program, RunResult, SourceFile

CHECKER_LIMITS = Limits(cpu_time=10.0, wall_time=30.0, memory=512 * MiB, output=64 * 1024)


@dataclass(frozen=True)
class CheckResult:
    accepted: bool
    message: str = ""
    score: float | None = None  # fraction of the test's worth; None means all or nothing
    failed: bool = False  # the checker itself broke: an internal error, not the contestant's fault


def check_exact(*, output: bytes, answer: bytes) -> CheckResult:
    if output == answer:
        return CheckResult(True)
    if output.rstrip(b"\n") == answer.rstrip(b"\n"):
        return CheckResult(False, "differs only in trailing newlines")
    return CheckResult(False, _first_difference(output.splitlines(), answer.splitlines(), "line"))


def check_tokens(*, output: bytes, answer: bytes, case_sensitive: bool = True) -> CheckResult:
    got, want = output.split(), answer.split()
    if got == want or (not case_sensitive and _lowered(got) == _lowered(want)):
        return CheckResult(True)
    return CheckResult(False, _first_difference(got, want, "token", case_sensitive=case_sensitive))


def _lowered(tokens: list[bytes]) -> list[bytes]:
    return [token.lower() for token in tokens]


def _first_difference(got: list[bytes], want: list[bytes], unit: str, case_sensitive: bool = True) -> str:
    for index, (a, b) in enumerate(zip(got, want, strict=False), start=1):
        if a != b and (case_sensitive or a.lower() != b.lower()):
            return f"{unit} {index} differs: expected {_show(b)}, got {_show(a)}"
    if len(got) < len(want):
        return f"output ends early: {len(got)} {unit}s instead of {len(want)}"
    return f"extra output after {len(want)} {unit}s"


def _show(token: bytes) -> str:
    text = token.decode(errors="replace")
    return repr(text if len(text) <= 40 else text[:37] + "...")


def check_float(
    *,
    output: bytes,
    answer: bytes,
    abs_tol: float = 1e-6,
    rel_tol: float = 1e-6,
    case_sensitive: bool = True,
) -> CheckResult:
    got, want = output.split(), answer.split()
    if len(got) != len(want):
        return CheckResult(False, f"expected {len(want)} tokens, got {len(got)}")
    for index, (a, b) in enumerate(zip(got, want, strict=True), start=1):
        expected = _number(b)
        if expected is None:
            if a != b and (case_sensitive or a.lower() != b.lower()):
                return CheckResult(False, f"token {index} differs: expected {_show(b)}, got {_show(a)}")
            continue
        value = _number(a)
        if value is None or not _close(value, expected, abs_tol, rel_tol):
            return CheckResult(False, f"token {index}: expected {_show(b)}, got {_show(a)}")
    return CheckResult(True)


def _number(token: bytes) -> float | None:
    try:
        value = float(token)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _close(value: float, expected: float, abs_tol: float, rel_tol: float) -> bool:
    return abs(value - expected) <= abs_tol or abs(value - expected) <= rel_tol * abs(expected)


FEEDBACK_DIR = "judge/feedback"
VALIDATOR_ARGS = ("judge/input", "judge/answer", FEEDBACK_DIR + "/")


def validator_files(*, input_data: bytes, answer: bytes) -> tuple[SourceFile, ...]:
    """What a Kattis validator (checker or interactor) finds beside it: input, answer, a feedback dir."""
    return (
        SourceFile("judge/input", input_data),
        SourceFile("judge/answer", answer),
        SourceFile(FEEDBACK_DIR + "/.keep", b""),
    )


def feedback_read(result: RunResult) -> dict[str, bytes]:
    """The files a validator left in its feedback dir, by name."""
    return {f.name.rsplit("/", 1)[-1]: f.data for f in result.files}


def feedback_message(feedback: dict[str, bytes]) -> str:
    return feedback.get("judgemessage.txt", b"").decode(errors="replace").strip()[:2000]


def check_custom(
    *,
    checker: Program,
    input_data: bytes,
    answer: bytes,
    output: bytes,
    limits: Limits = CHECKER_LIMITS,
    engine: Engine | None = None,
) -> CheckResult:
    result = run_files(
        program=checker,
        files=validator_files(input_data=input_data, answer=answer),
        argv_extra=VALIDATOR_ARGS,
        stdin=output,
        limits=limits,
        collect=(FEEDBACK_DIR,),
        engine=engine,
    )
    feedback = feedback_read(result)
    if result.outcome == Outcome.OK or result.exit_code in (ACCEPT_EXIT, REJECT_EXIT):
        return _custom_verdict(result.exit_code, feedback_message(feedback), feedback.get("score.txt"))
    return CheckResult(False, f"checker failed: {result.outcome} {result.message}".strip(), failed=True)


def _custom_verdict(exit_code: int | None, message: str, score_text: bytes | None) -> CheckResult:
    if exit_code not in (ACCEPT_EXIT, REJECT_EXIT):
        return CheckResult(False, f"checker exited with {exit_code}, not 42 or 43", failed=True)
    score = None
    if score_text is not None:
        try:
            score = float(score_text)
        except ValueError:
            score = math.nan
        if not math.isfinite(score):
            return CheckResult(False, "checker wrote a score that is not a number", failed=True)
        score = min(1.0, max(0.0, score))
    return CheckResult(exit_code == ACCEPT_EXIT, message, score)
