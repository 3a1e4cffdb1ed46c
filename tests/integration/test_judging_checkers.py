"""Judging glue for each checker kind on a fake engine: what the problem asks for reaches the checker,
and a custom checker's verdict, partial credit and failures reach the submission (STYLE rule 14: the
pipeline, not the sandbox)."""

import datetime as dt

import pytest

import sandbox
from judge.judging import services as judging_services
from judge.judging.services import _compile_checker
from judge.submissions.models import Submission, Verdict
from problems.models import Problem
from problems.services.testdata import test_case_add as case_create
from problems.services.testdata import test_group_create as group_create
from sandbox import Outcome, RunRequest, RunResult, SourceFile, interactive, runner
from sandbox.types import PairResult
from tests.factories import ProblemFactory, SubmissionFactory
from tests.integration.fake_engine import CPU_PER_RUN, FakeEngine

pytestmark = pytest.mark.django_db
LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class CheckerEngine(FakeEngine):
    """FakeEngine plus two kinds of program:
    `echo <text>`     prints <text> as written (trailing spaces too) and a newline, whatever its input
    `binary`          prints a byte that is not UTF-8, and a newline
    `warn`            compiles with a warning, then prints 3
    `age` prints 3 and makes the submission's heartbeat an hour old; `longcrash` / `longboom` end in RE / IE
    with a very long message.
    `score <x>`       a Kattis checker that accepts with score.txt = <x>
    `reject <msg>`    a Kattis checker that rejects with judgemessage.txt = <msg>
    `accept <msg>`    a Kattis checker that accepts with judgemessage.txt = <msg>
    A checker written as `crash` exits 1 (neither 42 nor 43), one written as `syntax` does not compile.
    Interactive pairs run both sides as above, one after the other; the program "ends first"."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[RunRequest, RunRequest]] = []

    def run_pair(self, program: RunRequest, interactor: RunRequest) -> PairResult:
        self.pairs.append((program, interactor))
        return PairResult(
            program=self._execute(program), interactor=self._execute(interactor), first="program"
        )

    def _compile(self, request: RunRequest) -> RunResult:
        if request.files[0].data == b"warn":
            return RunResult(Outcome.OK, exit_code=0, stdout=b"main.py:1: a warning\n", files=request.files)
        return super()._compile(request)

    def _execute(self, request: RunRequest) -> RunResult:
        keyword, _, rest = request.files[0].data.decode().lstrip().partition(" ")
        if keyword == "age":  # a test that takes an hour: the submission's last heartbeat is old now
            Submission.objects.update(heartbeat_at=LONG_AGO)
            return RunResult(Outcome.OK, exit_code=0, cpu_time=CPU_PER_RUN, stdout=b"3\n")
        if keyword == "longcrash":
            return RunResult(Outcome.RE, exit_code=1, cpu_time=CPU_PER_RUN, message="x" * 3000)
        if keyword == "longboom":
            return RunResult(Outcome.IE, message="y" * 5000)
        if keyword == "warn":
            return RunResult(Outcome.OK, exit_code=0, cpu_time=CPU_PER_RUN, stdout=b"3\n")
        if keyword == "binary":
            return RunResult(Outcome.OK, exit_code=0, cpu_time=CPU_PER_RUN, stdout=b"\xff\n")
        if keyword == "echo":
            return RunResult(Outcome.OK, exit_code=0, cpu_time=CPU_PER_RUN, stdout=rest.encode() + b"\n")
        if keyword in ("score", "reject", "accept"):
            name = "score.txt" if keyword == "score" else "judgemessage.txt"
            feedback = (SourceFile(f"judge/feedback/{name}", rest.encode()),)
            code = 43 if keyword == "reject" else 42
            return RunResult(Outcome.RE, exit_code=code, cpu_time=0.01, files=feedback)
        return super()._execute(request)


@pytest.fixture
def engine(monkeypatch):
    engine = CheckerEngine()
    # As fake_engine_install does, for this engine: judging asks judging_engine(), sandbox helpers engine_get.
    monkeypatch.setattr(judging_services, "judging_engine", lambda: engine)
    for module in (runner, interactive):
        monkeypatch.setattr(module, "engine_get", lambda *args, **kwargs: engine)
    _compile_checker.cache_clear()  # a checker compiled by an earlier test's engine must not be reused
    yield engine
    _compile_checker.cache_clear()


def _problem(answers: list[str], *, groups: list[str] | None = None, **fields) -> Problem:
    problem = ProblemFactory(**fields)
    made = {}
    for index, answer in enumerate(answers):
        group = None
        if groups:
            name = groups[index]
            group = made.get(name) or group_create(problem=problem, name=name, points=10 * (index + 1))
            made[name] = group
        case_create(
            problem=problem, input_data=b"1 2\n", answer_data=answer.encode(), is_sample=False, group=group
        )
    return problem


def _judged(problem: Problem, source: str, judge_queued) -> Submission:
    submission = SubmissionFactory(problem=problem, source=source, tests_total=problem.tests.count())
    judge_queued()
    submission.refresh_from_db()
    return submission


# built-in checkers: the problem's settings reach them


@pytest.mark.parametrize(("case_sensitive", "verdict"), [(False, Verdict.AC), (True, Verdict.WA)])
@pytest.mark.parametrize("checker", [Problem.Checker.TOKENS, Problem.Checker.FLOAT])
def test_case_insensitive_problem_accepts_other_case(engine, judge_queued, checker, case_sensitive, verdict):
    problem = _problem(["Yes 1.5\n"], checker=checker, case_sensitive=case_sensitive)

    assert _judged(problem, "echo YES 1.5", judge_queued).verdict == verdict


def test_float_checker_uses_the_problem_tolerances(engine, judge_queued):
    loose = _problem(["1.5\n"], checker=Problem.Checker.FLOAT, float_abs_tolerance=0.1)
    strict = _problem(["1.5\n"], checker=Problem.Checker.FLOAT, float_abs_tolerance=0.01)
    relative = _problem(
        ["1000\n"], checker=Problem.Checker.FLOAT, float_abs_tolerance=0, float_rel_tolerance=0.1
    )

    assert _judged(loose, "echo 1.55", judge_queued).verdict == Verdict.AC
    assert _judged(strict, "echo 1.55", judge_queued).verdict == Verdict.WA
    assert _judged(relative, "echo 1050", judge_queued).verdict == Verdict.AC


@pytest.mark.parametrize(
    ("checker", "verdict"), [(Problem.Checker.EXACT, Verdict.WA), (Problem.Checker.TOKENS, Verdict.AC)]
)
def test_exact_checker_rejects_what_tokens_accept(engine, judge_queued, checker, verdict):
    problem = _problem(["3\n"], checker=checker)

    submission = _judged(problem, "echo 3 ", judge_queued)

    assert submission.verdict == verdict
    if checker == Problem.Checker.EXACT:
        assert "line 1 differs" in submission.results.get().checker_message


def test_sample_output_that_is_not_utf8_is_kept_readable(engine, judge_queued):
    problem = _problem(["3\n"])
    problem.tests.update(is_sample=True)

    result = _judged(problem, "binary", judge_queued).results.get()

    assert (result.verdict, result.output_excerpt) == (Verdict.WA, "\ufffd\n")


def test_exact_checker_accepts_identical_output(engine, judge_queued):
    problem = _problem(["3\n"], checker=Problem.Checker.EXACT)

    assert _judged(problem, "echo 3", judge_queued).verdict == Verdict.AC


# custom checkers


def _custom(answers: list[str], checker_source: str, **fields) -> Problem:
    return _problem(
        answers,
        checker=Problem.Checker.CUSTOM,
        checker_language="python",
        checker_source=checker_source,
        **fields,
    )


def test_custom_checker_partial_credit_scales_the_group(engine, judge_queued):
    problem = _custom(
        ["3\n", "3\n"], "score 0.25", groups=["a", "b"], scoring=Problem.Scoring.GROUPS
    )  # a: 10 points, b: 20 points

    submission = _judged(problem, "ok", judge_queued)

    assert (submission.verdict, submission.score, submission.max_score) == (Verdict.AC, 7.5, 30)
    assert list(submission.results.values_list("checker_message", flat=True)) == ["", ""]  # no judgemessage
    checker_runs = [r for r in engine.runs if r.files[0].data == b"score 0.25"]
    assert len(checker_runs) == 2
    assert checker_runs[0].stdin == b"3\n"  # the program's output
    assert {f.name: f.data for f in checker_runs[0].files[1:3]} == {
        "judge/input": b"1 2\n",
        "judge/answer": b"3\n",
    }


def test_custom_checker_rejection_keeps_its_message(engine, judge_queued):
    problem = _custom(["3\n"], "reject wrong parity")

    submission = _judged(problem, "ok", judge_queued)

    assert submission.verdict == Verdict.WA
    assert submission.results.get().checker_message == "wrong parity"


@pytest.mark.parametrize(
    ("checker_source", "message"),
    [("syntax", "the custom checker does not compile"), ("crash", "test 1: checker: checker failed: RE")],
)
def test_broken_custom_checker_is_an_internal_error(engine, judge_queued, checker_source, message):
    problem = _custom(["3\n"], checker_source)

    submission = _judged(problem, "ok", judge_queued)

    assert (submission.status, submission.verdict, submission.score) == (
        Submission.Status.DONE,
        Verdict.IE,
        0,
    )
    assert submission.internal_message.startswith(message)


def test_custom_checker_without_source_is_an_internal_error(engine, judge_queued):
    problem = _custom(["3\n"], "")

    submission = _judged(problem, "ok", judge_queued)

    assert submission.verdict == Verdict.IE
    assert submission.internal_message.startswith(
        "the problem uses a custom checker but has no checker source or language"
    )
    assert engine.runs == []


@pytest.mark.parametrize(
    ("program", "interactor", "verdict", "message"),
    [
        ("ok", "accept found in 3 guesses", Verdict.AC, "found in 3 guesses"),
        ("ok", "reject too many guesses", Verdict.WA, "too many guesses"),
        ("slow", "accept found", Verdict.TLE, "CPU time over the limit"),
    ],
)
def test_interactive_verdicts_come_from_the_interactor_unless_the_program_fails(
    engine, judge_queued, program, interactor, verdict, message
):
    problem = _custom(["secret\n"], interactor, interactive=True, time_limit=2.0)

    submission = _judged(problem, program, judge_queued)

    assert submission.verdict == verdict
    assert submission.results.get().checker_message == message
    ((ran, validator),) = engine.pairs
    assert ran.limits.cpu_time == 2.0
    assert {f.name: f.data for f in validator.files[1:3]} == {
        "judge/input": b"1 2\n",
        "judge/answer": b"secret\n",
    }


def test_crashed_interactor_is_an_internal_error(engine, judge_queued):
    problem = _custom(["3\n"], "crash", interactive=True)

    submission = _judged(problem, "ok", judge_queued)

    assert submission.verdict == Verdict.IE
    assert submission.internal_message.startswith("test 1: interactor failed: RE")


def test_runs_get_the_problems_limits(engine, judge_queued):
    problem = _problem(["3\n"], time_limit=1.5, memory_limit=64, output_limit=128)

    _judged(problem, "ok", judge_queued)

    (run,) = engine.runs
    overhead = sandbox.language_get("python").memory_overhead
    assert (run.limits.cpu_time, run.limits.memory, run.limits.output) == (
        1.5,
        64 * sandbox.MiB + overhead,
        128 * 1024,
    )


def test_tests_run_by_their_order_not_by_creation(engine, judge_queued):
    problem = _problem(["3\n", "3\n", "3\n"])
    first, second, third = problem.tests.order_by("id")
    for test, order in ((first, 30), (second, 10), (third, 20)):  # (problem, order) is unique
        test.order = order
        test.save(update_fields=["order"])

    submission = _judged(problem, "ok", judge_queued)

    assert list(submission.results.values_list("test_case_id", flat=True)) == [second.id, third.id, first.id]


def test_interactive_problem_without_an_interactor_is_an_internal_error(engine, judge_queued, caplog):
    problem = _problem(["3\n"], interactive=True)

    submission = _judged(problem, "ok", judge_queued)

    assert submission.verdict == Verdict.IE
    message = "an interactive problem needs an interactor (the custom checker program)"
    assert submission.internal_message.startswith(message)
    assert f"submission {submission.id}: internal error: {message}" in caplog.messages
    assert engine.runs == []


# what is recorded


def test_compiler_warnings_of_an_accepted_program_are_kept(engine, judge_queued):
    submission = _judged(_problem(["3\n"]), "warn", judge_queued)

    assert (submission.verdict, submission.compile_output) == (Verdict.AC, "main.py:1: a warning\n")


def test_each_test_result_renews_the_heartbeat(engine, judge_queued):
    submission = _judged(_problem(["3\n", "3\n"]), "age", judge_queued)

    assert submission.verdict == Verdict.AC
    assert submission.heartbeat_at > LONG_AGO


def test_long_messages_are_capped(engine, judge_queued):
    crashed = _judged(_problem(["3\n"]), "longcrash", judge_queued)
    broken = _judged(_problem(["3\n"]), "longboom", judge_queued)

    assert crashed.results.get().checker_message == "x" * 2000
    assert broken.internal_message == "test 1: " + "y" * 3992  # 4000 in all


# the submission page agrees with the score


def test_submission_page_shows_partial_credit_as_scored(client, engine, judge_queued):
    problem = _custom(["3\n", "3\n"], "score 0.25", groups=["a", "b"], scoring=Problem.Scoring.GROUPS)
    submission = _judged(problem, "ok", judge_queued)
    client.force_login(submission.user)

    groups = client.get(f"/submissions/{submission.id}/").context["group_scores"]

    assert [(g["name"], g["earned"], g["state"]) for g in groups] == [
        ("a", 2.5, "passed"),
        ("b", 5.0, "passed"),
    ]
    assert sum(g["earned"] for g in groups) == submission.score
