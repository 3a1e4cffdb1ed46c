"""Judge one job: compile once, judge each test in a fresh box, report each result as it comes."""

import base64
import http.client
import logging
import threading
import time
from dataclasses import dataclass

from sandbox.checkers import check_tokens
from sandbox.engines.base import Engine
from sandbox.host.cache import HashMismatch
from sandbox.host.client import Site, SiteError
from sandbox.judging import CHECK_KINDS, Check, JudgingPlan, TestJudged, test_judge
from sandbox.records import compile_record, run_record
from sandbox.runner import compile as program_compile
from sandbox.runner import execute
from sandbox.types import Limits, Outcome, Program, RunResult, SourceFile

log = logging.getLogger(__name__)
CLAIM_LOST, REPLAYED = 410, 409
# The site away for a restart or a database blip: keep trying for this long before leaving the job to the
# site's sweeper. Safe: a message that got through before is refused as replayed (409), one for a claim
# swept meanwhile as lost (410).
RETRY_SECONDS, RETRY_WAIT_MAX = 120.0, 5.0
_UNREACHABLE = (OSError, http.client.HTTPException)


class JobAbandoned(Exception):
    """The site no longer wants this job's results (the claim was swept or rejudged)."""


class JobBroken(Exception):
    """The job cannot be judged here (the sandbox or a checker broke, a test file is bad)."""


@dataclass
class Job:
    site: Site
    data: dict
    engine: Engine
    seq: int = 0

    def signed(self, record: dict) -> dict:
        """An execution record for the log, bound to this job and signed with the host's key."""
        record = {**record, "job": self.data["job"], "submission": self.data["submission"]}
        if self.data.get("kind") == "tryout":
            record["tryout"] = True
        return {"record": record, "record_signature": self.site.key.record_sign(record)}

    def compile_signed(self, compiled) -> dict:
        """The compile's signed record; {} when nothing ran (the language has no compile step)."""
        if compiled.result is None:
            return {}
        program = self.data["program"]
        return self.signed(
            compile_record(language=program["language"], source=program["source"], result=compiled.result)
        )

    def run_signed(
        self, *, limits: Limits, run: RunResult, test: int, test_case_id: int | None, input_data: bytes
    ) -> dict:
        """A run's signed record: test number `test` (0 for a tryout)."""
        program = self.data["program"]
        record = run_record(
            language=program["language"],
            source=program["source"],
            limits=limits,
            result=run,
            test=test,
            test_case_id=test_case_id,
            input_data=input_data,
        )
        return self.signed(record)

    def report(self, kind: str, **fields) -> None:
        self.seq += 1
        try:
            retrying(lambda: self.site.report(self.data, self.seq, {"kind": kind, **fields}))
        except SiteError as exc:
            if exc.status == REPLAYED:  # an earlier try of this very message got through
                return
            if exc.status == CLAIM_LOST:
                raise JobAbandoned(str(exc)) from None
            raise


def retrying(call):
    """call(), tried again while the site cannot be reached or answers 5xx, for up to RETRY_SECONDS."""
    deadline, wait = time.monotonic() + RETRY_SECONDS, 0.5
    while True:
        try:
            return call()
        except (SiteError, *_UNREACHABLE) as exc:
            if (isinstance(exc, SiteError) and exc.status < 500) or time.monotonic() + wait > deadline:
                raise
            log.warning("the site did not take it (%s); trying again in %.1f s", str(exc)[:200], wait)
        time.sleep(wait)
        wait = min(RETRY_WAIT_MAX, wait * 2)


def engine_problem(engine: Engine) -> str:
    """Why the engine cannot be reached now; '' when it answers."""
    try:
        return engine.unreachable()
    except Exception as exc:  # noqa: BLE001 - a probe that breaks is an engine that does not answer
        return f"the engine check failed: {exc}"


def job_run(*, site: Site, data: dict, engine: Engine, active: set, lock: threading.Lock) -> str:
    """Judge a claimed job and report it; errors are reported too (the site decides what follows: a job
    that broke while the engine was unreachable goes back to the queue, not to an internal error).
    Returns that engine problem ('' when there was none)."""
    job, problem = Job(site, data, engine), ""
    what = f"submission {data['submission']}" if data["submission"] else "a tryout"
    log.info("job %s: %s", data["job"], what)
    with lock:
        active.add(data["job"])
    try:
        try:
            (_tryout if data.get("kind") == "tryout" else _judge)(job)
            log.info("job %s reported", data["job"])
        except (JobBroken, HashMismatch) as exc:
            if problem := engine_problem(job.engine):
                log.warning("job %s: the engine is down (%s); giving it back", data["job"], problem)
            job.report("failed", message=str(exc)[:4000], engine_problem=problem[:500])
    except JobAbandoned as exc:
        log.warning("job %s abandoned: %s", data["job"], exc)
    except Exception:  # noqa: BLE001 - the site unreachable: its sweeper requeues the silent job
        log.exception("job %s could not be finished", data["job"])
    finally:
        with lock:
            active.discard(data["job"])
    return problem


def _judge(job: Job) -> None:
    data = job.data
    compiled = _compile(data["program"], job.engine)
    if compiled.outcome == Outcome.IE:
        raise JobBroken(f"compile step failed in the sandbox: {compiled.output}")
    output = compiled.output[: data["compile_output_limit"]]
    job.report("compile", ok=compiled.ok, output=output, **job.compile_signed(compiled))
    if not compiled.ok:
        return
    check = _check(data["check"], job.engine)
    plan = JudgingPlan(skip_failed_groups=data["skip_failed_groups"], stop_on_failure=data["stop_on_failure"])
    for test in data["tests"]:
        if not plan.due(test["group"]):
            continue
        judged = _judge_test(job, compiled.program, check, test)
        if plan.record(test["group"], judged.verdict):
            break
    job.report("done")


def _tryout(job: Job) -> None:
    """A Run-box run: compile, run once on the sample's or the user's input, answer in one message."""
    data, program = job.data, job.data["program"]
    compiled = _compile(program, job.engine)
    answer = {
        "compile_ok": compiled.ok,
        "compile_outcome": compiled.outcome.value,
        "compile_output": compiled.output[: data["compile_output_limit"]],
    }
    if signed := job.compile_signed(compiled):
        answer["compile"] = signed
    if compiled.ok:
        stdin = _test_file(job, data["input"]) if data["input"] else base64.b64decode(data["stdin"])
        limits = Limits(**data["limits"])
        run = execute(program=compiled.program, stdin=stdin, limits=limits, engine=job.engine)
        matches = None
        if data["answer"] and run.outcome == Outcome.OK:
            answer_data = _test_file(job, data["answer"])
            matches = check_tokens(
                output=run.stdout, answer=answer_data, case_sensitive=data["case_sensitive"]
            ).accepted
        answer["run"] = {
            **job.run_signed(limits=limits, run=run, test=0, test_case_id=None, input_data=stdin),
            "stdout": run.stdout[: data["stdout_limit"]].decode(errors="replace"),
            "stdout_truncated": len(run.stdout) > data["stdout_limit"],
            "stderr": run.stderr[-data["stderr_tail"] :].decode(errors="replace"),
            "message": run.message[:500],
            "matches": matches,
        }
    job.report("tryout", **answer)


def _judge_test(job: Job, program: Program, check: Check, test: dict) -> TestJudged:
    limits = Limits(**job.data["limits"])
    input_data, answer = _test_file(job, test["input"]), _test_file(job, test["answer"])
    judged = test_judge(
        program=program, input_data=input_data, answer=answer, limits=limits, check=check, engine=job.engine
    )
    if judged.failed:
        raise JobBroken(f"test {test['order']}: {judged.message}")
    signed = job.run_signed(
        limits=limits, run=judged.run, test=test["order"], test_case_id=test["id"], input_data=input_data
    )
    job.report("test", **_result(judged, test, job.data["excerpt_limit"]), **signed)
    return judged


def _test_file(job: Job, sha: str) -> bytes:
    return retrying(lambda: job.site.test_file(sha))


def _result(judged: TestJudged, test: dict, excerpt: int) -> dict:
    """The verdict and the sample's excerpts; the run's figures travel in its signed record."""
    run, sample = judged.run, test["sample"]
    return {
        "test": test["id"],
        "order": test["order"],
        "verdict": judged.verdict,
        "message": judged.message[:2000],
        "fraction": judged.fraction,
        "stdout": run.stdout[:excerpt].decode(errors="replace") if sample else "",
        "stderr": run.stderr[-excerpt:].decode(errors="replace") if sample else "",
    }


def _compile(program: dict, engine: Engine):
    if not program["entry"]:
        return program_compile(language=program["language"], source=program["source"], engine=engine)
    files = tuple(SourceFile(name, text.encode()) for name, text in sorted(program["files"].items()))
    return program_compile(language=program["language"], files=files, entry=program["entry"], engine=engine)


def _check(spec: dict, engine: Engine) -> Check:
    if spec["kind"] not in CHECK_KINDS:
        raise JobBroken(f"unknown checker kind {spec['kind']!r}")
    checker = None
    if spec["program"] is not None:
        compiled = _compile(spec["program"], engine)
        if not compiled.ok:
            raise JobBroken(f"the custom checker does not compile: {compiled.output[:2000]}")
        checker = compiled.program
    return Check(
        kind=spec["kind"],
        abs_tol=spec["abs_tol"],
        rel_tol=spec["rel_tol"],
        case_sensitive=spec["case_sensitive"],
        program=checker,
        interactive=spec["interactive"],
    )
