"""Checker edges left open by test_checkers.py: messages, boundaries, reading the feedback files."""

import pytest

from sandbox import Engine, Outcome, Program, RunRequest, RunResult, SourceFile, runner
from sandbox.checkers import (
    CHECKER_LIMITS,
    FEEDBACK_DIR,
    VALIDATOR_ARGS,
    CheckResult,
    _custom_verdict,
    check_custom,
    check_exact,
    check_float,
    check_tokens,
    feedback_message,
)
from sandbox.types import ACCEPT_EXIT

LONG = b"x" * 40


def test_every_rejection_is_false_not_just_falsy():
    rejections = [
        check_exact(output=b"3", answer=b"3\n"),
        check_exact(output=b"4\n", answer=b"3\n"),
        check_tokens(output=b"4", answer=b"3"),
        check_float(output=b"1 2", answer=b"1"),
        check_float(output=b"a", answer=b"b"),
        _custom_verdict(1, "", None),
        _custom_verdict(ACCEPT_EXIT, "", b"nan"),
    ]
    assert [r.accepted for r in rejections] == [False] * len(rejections)


@pytest.mark.parametrize(
    ("output", "answer", "message"),
    [
        (b"3\n\n", b"3\n", "differs only in trailing newlines"),
        (b"3X", b"3", "line 1 differs: expected '3', got '3X'"),  # only newlines are stripped, from the end
        (b"3\n", b"3X\n", "line 1 differs: expected '3X', got '3'"),
        (b"3\n", b"3 \n", "line 1 differs: expected '3 ', got '3'"),
        (b"\n3\n", b"3\n", "line 1 differs: expected '3', got ''"),
        (b"yes\n", b"YES\n", "line 1 differs: expected 'YES', got 'yes'"),  # exact is case-sensitive
        (b"3\r\n", b"3\n", "extra output after 1 lines"),  # same lines, but a carriage return more
    ],
)
def test_exact_messages(output, answer, message):
    assert check_exact(output=output, answer=answer) == CheckResult(False, message)


def test_tokens_message_names_the_first_case_difference_when_case_matters():
    result = check_tokens(output=b"Yes no", answer=b"YES yes", case_sensitive=True)
    assert result.message == "token 1 differs: expected 'YES', got 'Yes'"


def test_tokens_message_skips_case_differences_when_case_does_not_matter():
    result = check_tokens(output=b"Yes no", answer=b"YES yes", case_sensitive=False)
    assert result.message == "token 2 differs: expected 'yes', got 'no'"


@pytest.mark.parametrize(
    ("token", "shown"),
    [(LONG, repr(LONG.decode())), (LONG + b"y", repr("x" * 37 + "...")), (b"\xff", repr("\ufffd"))],
)
def test_tokens_are_shown_whole_up_to_40_characters(token, shown):
    assert check_tokens(output=token, answer=b"z").message == f"token 1 differs: expected 'z', got {shown}"


def test_absolute_tolerance_away_from_zero():
    assert check_float(output=b"5.05", answer=b"5", abs_tol=0.1, rel_tol=0.0).accepted
    assert not check_float(output=b"5.15", answer=b"5", abs_tol=0.1, rel_tol=0.0).accepted


def test_feedback_message_is_empty_without_a_file_and_capped_and_lenient():
    assert feedback_message({}) == ""
    assert feedback_message({"judgemessage.txt": b"x" * 3000}) == "x" * 2000
    assert feedback_message({"judgemessage.txt": b"  \xff bad\n"}) == "\ufffd bad"


class _Answering(Engine):
    def __init__(self, result: RunResult) -> None:
        self.result, self.requests = result, []

    def run(self, request: RunRequest) -> RunResult:
        self.requests.append(request)
        return self.result


def _check_custom(monkeypatch, result: RunResult) -> tuple[CheckResult, RunRequest]:
    engine = _Answering(result)
    monkeypatch.setattr(runner, "engine_get", lambda *args, **kwargs: engine)
    checker = Program("python", (SourceFile("main.py", b"checker"),))
    checked = check_custom(checker=checker, input_data=b"in", answer=b"ans", output=b"out")
    return checked, engine.requests[0]


def test_custom_checker_gets_the_kattis_layout_and_its_own_limits(monkeypatch):
    message = SourceFile(FEEDBACK_DIR + "/judgemessage.txt", b"fine")
    checked, request = _check_custom(
        monkeypatch, RunResult(Outcome.RE, exit_code=ACCEPT_EXIT, files=(message,))
    )

    assert checked == CheckResult(True, "fine")
    assert (request.argv[-3:], request.stdin, request.collect) == (VALIDATOR_ARGS, b"out", (FEEDBACK_DIR,))
    assert (request.limits.cpu_time, request.limits.output) == (
        CHECKER_LIMITS.cpu_time,
        CHECKER_LIMITS.output,
    )
    assert request.files[1:] == (
        SourceFile("judge/input", b"in"),
        SourceFile("judge/answer", b"ans"),
        SourceFile(FEEDBACK_DIR + "/.keep", b""),
    )


def test_crashed_custom_checker_is_a_failure_never_an_acceptance(monkeypatch):
    checked, _ = _check_custom(monkeypatch, RunResult(Outcome.RE, exit_code=1, message="exit code 1"))

    assert (checked.accepted, checked.failed, checked.message) == (
        False,
        True,
        "checker failed: RE exit code 1",
    )
