"""Feedback on a sample test: its input, the expected and the actual output, and where they first differ."""

from dataclasses import dataclass

from judge.submissions.models import TestResult, Verdict

SAMPLE_READ_LIMIT = 16 * 1024


@dataclass(frozen=True)
class SampleFeedback:
    input: str
    expected: list[str]
    output: list[str]
    diff_line: int | None  # 1-based line of the first difference, None when the outputs agree


def first_difference(expected: str, output: str) -> int | None:
    """The 1-based number of the first line where output differs from expected, or None.

    Trailing spaces and trailing blank lines don't count: the token checker ignores them too.
    """
    want = expected.rstrip().splitlines()
    got = output.rstrip().splitlines()
    for number, (a, b) in enumerate(zip(want, got, strict=False), start=1):
        if a.rstrip() != b.rstrip():
            return number
    if len(want) != len(got):
        return min(len(want), len(got)) + 1
    return None


def sample_feedback(result: TestResult) -> SampleFeedback | None:
    """The side-by-side view of a sample's result; None for hidden tests, which show no data."""
    test = result.test_case
    # An interactive program's output is a dialogue, not something to hold against the answer file.
    if not result.is_sample or test is None or test.problem.interactive:
        return None
    expected = test.read_answer(limit=SAMPLE_READ_LIMIT).decode(errors="replace")
    # An accepted output may differ in form (floats, a custom checker): only a wrong answer gets a mark.
    wrong = result.verdict == Verdict.WA
    return SampleFeedback(
        input=test.read_input(limit=SAMPLE_READ_LIMIT).decode(errors="replace"),
        expected=expected.splitlines(),
        output=result.output_excerpt.splitlines(),
        diff_line=first_difference(expected, result.output_excerpt) if wrong else None,
    )


def sample_feedback_payload(result: TestResult) -> dict | None:
    feedback = sample_feedback(result)
    if feedback is None:
        return None
    return {
        "input": feedback.input,
        "expected": feedback.expected,
        "output": feedback.output,
        "diff_line": feedback.diff_line,
    }
