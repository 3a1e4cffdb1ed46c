"""A stand-in sandbox engine for tests about the judging pipeline, never about the sandbox (STYLE rule 14).

The "program" is its source text, one keyword naming what it does when run:
    ok      prints the sum of the numbers in its input
    wrong   prints 0
    small   prints the sum when every number is below 1000, else 0 (passes only small tests)
    slow    runs over the CPU limit (TLE)
    crash   exits with code 1 (RE)
    boom    the sandbox itself fails on the run (IE)
    syntax  does not compile (CE)
`FakeEngine.broken = "compile" | "run"` makes the sandbox fail every such step, whatever the program.
"""

from judge.judging import services as judging_services
from sandbox import Engine, Outcome, RunRequest, RunResult, SourceFile, runner

CPU_PER_RUN = 0.05


class FakeEngine(Engine):
    def __init__(self) -> None:
        self.requests: list[RunRequest] = []
        self.broken: str | None = None

    def run(self, request: RunRequest) -> RunResult:
        self.requests.append(request)
        if request.merge_stderr:
            return self._compile(request)
        return self._execute(request)

    @property
    def runs(self) -> list[RunRequest]:
        return [r for r in self.requests if not r.merge_stderr]

    def _compile(self, request: RunRequest) -> RunResult:
        if self.broken == "compile":
            return RunResult(Outcome.IE, message="fake engine: the compile box failed")
        source = request.files[0]
        if _keyword(source.data) == "syntax":
            output = b"main.py:1: SyntaxError: invalid syntax\n"
            return RunResult(Outcome.RE, exit_code=1, stdout=output, message="exit code 1")
        artifacts = tuple(SourceFile(path, source.data) for path in request.collect)
        return RunResult(Outcome.OK, exit_code=0, cpu_time=0.01, files=artifacts)

    def _execute(self, request: RunRequest) -> RunResult:
        keyword = _keyword(request.files[0].data)
        if self.broken == "run" or keyword == "boom":
            return RunResult(Outcome.IE, message="fake engine: the run box failed")
        if keyword == "slow":
            over = request.limits.cpu_time + 0.1
            return RunResult(Outcome.TLE, signal=9, cpu_time=over, message="CPU time over the limit")
        if keyword == "crash":
            return RunResult(
                Outcome.RE, exit_code=1, cpu_time=CPU_PER_RUN, stderr=b"Traceback", message="exit code 1"
            )
        numbers = [int(token) for token in request.stdin.split()]
        answers = {
            "ok": sum(numbers),
            "wrong": 0,
            "small": sum(numbers) if all(abs(n) < 1000 for n in numbers) else 0,
        }
        if keyword not in answers:
            return RunResult(Outcome.IE, message=f"fake engine: unknown behaviour {keyword!r}")
        stdout = f"{answers[keyword]}\n".encode()
        return RunResult(
            Outcome.OK, exit_code=0, cpu_time=CPU_PER_RUN, wall_time=0.06, memory=1 << 20, stdout=stdout
        )


def _keyword(source: bytes) -> str:
    return source.decode(errors="replace").strip()


def fake_engine_install(monkeypatch) -> FakeEngine:
    """Every sandbox call (compile, execute, checkers) goes to one fresh FakeEngine."""
    engine = FakeEngine()
    monkeypatch.setattr(runner, "engine_get", lambda *args, **kwargs: engine)
    monkeypatch.setattr(judging_services, "judging_engine", lambda: engine)
    return engine


def problem_with_tests(
    *, tests: list[tuple[str, bool, str]], groups: dict[str, float] | None = None, **fields
):
    """A public problem whose answers are the sums of the inputs; tests are (input, is_sample, group name)."""
    from problems.services.testdata import test_case_add, test_group_create
    from tests.factories import ProblemFactory

    problem = ProblemFactory(**fields)
    made = {
        name: test_group_create(problem=problem, name=name, points=points)
        for name, points in (groups or {}).items()
    }
    for given, is_sample, group in tests:
        answer = f"{sum(int(token) for token in given.split())}\n"
        test_case_add(
            problem=problem,
            input_data=given.encode(),
            answer_data=answer.encode(),
            is_sample=is_sample,
            group=made.get(group),
        )
    return problem
