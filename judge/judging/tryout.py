"""The worker side of "try before submitting": compile, run once on a sample's or the user's input, and
store what happened for the run box (judge/submissions/tryout.py). Nothing is judged or saved, and only
sample tests are ever read; the CPU seconds are charged to the payer's quota."""

import sandbox
from judge.audit import services as audit
from judge.judging import services as judging_services
from judge.submissions.quotas import usage_record
from judge.submissions.tryout import tryout_claim, tryout_result_save
from problems.models import Problem
from problems.selectors import problem_samples
from sandbox import checkers

STDOUT_LIMIT = 16 * 1024
STDERR_TAIL = 4 * 1024
COMPILE_OUTPUT_LIMIT = 16 * 1024
UNAVAILABLE = "The sandbox is not available right now; try again in a minute."


def tryout_run(*, token: str) -> None:
    """Do the run queued under `token`; a redelivery, or a run that expired, does nothing."""
    entry = tryout_claim(token=token)
    if entry is None:
        return
    problem = Problem.objects.get(pk=entry["problem_id"])
    stdin, answer = tryout_input(problem, entry["sample"], entry["stdin"])
    try:
        result, cpu = _compile_and_run(problem, tryout_logged(entry), stdin)
    except sandbox.SandboxError:
        result, cpu = {"outcome": sandbox.Outcome.IE.value, "message": UNAVAILABLE}, 0.0
    raw = result.pop("raw_stdout", None)
    if answer is not None and raw is not None:
        result["matches"] = checkers.check_tokens(
            output=raw, answer=answer, case_sensitive=problem.case_sensitive
        ).accepted
    tryout_finish(token=token, entry=entry, result=result, cpu=cpu)


def tryout_logged(entry: dict) -> audit.Tryout:
    """What the execution log names a tryout's runs by."""
    return audit.Tryout(entry["tenant_id"], entry["user_id"], entry["language"], entry["source"])


def tryout_finish(*, token: str, entry: dict, result: dict, cpu: float) -> None:
    """Charge the run to the payer and store what the run box shows (whoever ran it)."""
    usage_record(tenant_id=entry["tenant_id"], cpu_seconds=cpu, runs=1)
    tryout_result_save(token=token, entry=entry, result=result)


def tryout_input(problem: Problem, sample: int | None, stdin: bytes) -> tuple[bytes, bytes | None]:
    """The run's input, and the sample's answer when it runs on a sample."""
    if sample is None:
        return stdin, None
    test = tryout_sample(problem, sample)
    return test.read_input(), test.read_answer()


def tryout_sample(problem: Problem, sample: int):
    return problem_samples(problem=problem)[sample - 1]  # samples only: hidden tests are never read


def compile_failed_result(*, outcome: sandbox.Outcome, output: str) -> dict:
    """What the run box shows when the program did not compile (or the sandbox failed to compile it)."""
    message = UNAVAILABLE if outcome == sandbox.Outcome.IE else ""
    return {
        "outcome": outcome.value,
        "compile_output": "" if message else output[:COMPILE_OUTPUT_LIMIT],
        "message": message,
    }


def run_result(*, compile_output: str, run: sandbox.RunResult) -> dict:
    """What the run box shows of a run; `matches` is filled in when it ran on a sample."""
    return {
        "outcome": run.outcome.value,
        "compile_output": compile_output[:COMPILE_OUTPUT_LIMIT],
        "stdout": run.stdout[:STDOUT_LIMIT].decode(errors="replace"),
        "stdout_truncated": len(run.stdout) > STDOUT_LIMIT,
        "stderr": run.stderr[-STDERR_TAIL:].decode(errors="replace"),
        "time": round(run.cpu_time, 3),
        "memory": run.memory,
        "message": UNAVAILABLE if run.outcome == sandbox.Outcome.IE else run.message,
        "matches": None,
    }


def _compile_and_run(problem: Problem, logged: audit.Tryout, stdin: bytes) -> tuple[dict, float]:
    engine = judging_services.judging_engine()
    compiled = judging_services.program_compile(
        problem=problem, language=logged.language, source=logged.source
    )
    audit.compile_logged(submission=logged, compiled=compiled)
    cpu = compiled.result.cpu_time if compiled.result else 0.0
    if not compiled.ok:
        return compile_failed_result(outcome=compiled.outcome, output=compiled.output), cpu
    limits = judging_services.problem_limits(problem)
    run = sandbox.execute(program=compiled.program, stdin=stdin, limits=limits, engine=engine)
    audit.run_logged(submission=logged, test_case_id=None, order=0, limits=limits, input_data=stdin, run=run)
    result = run_result(compile_output=compiled.output, run=run)
    if run.outcome == sandbox.Outcome.OK:
        result["raw_stdout"] = run.stdout  # for the sample check, then dropped
    return result, cpu + run.cpu_time
