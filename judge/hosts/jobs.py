"""Jobs for judge hosts: a claimed submission as a job, its test files by hash, its results applied.

The site decides everything: which submission runs next (fair claiming), what a result means (the same
verdict, scoring and events code as the in-process worker) and whether a result still counts (only while
the job's claim is the submission's, and each message once, in order, signed by the host).
"""

import dataclasses
import json

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

import sandbox
from judge.audit.models import AuditRecord
from judge.hosts import records, tryouts
from judge.hosts.errors import HostRefused
from judge.hosts.models import JudgeHost, JudgeJob
from judge.hosts.programs import files_served, limits_data, program_data
from judge.judging import services as judging
from judge.judging.queue import submission_claim_next
from judge.metrics import hooks as metrics
from judge.submissions.models import Submission, TestResult, Verdict
from judge.submissions.scoring import TestOutcome
from problems.models import Problem, TestCase
from problems.services.testfiles import test_hashes
from sandbox import signing

_TEST_VERDICTS = {Verdict.AC, Verdict.WA, Verdict.TLE, Verdict.MLE, Verdict.OLE, Verdict.RE}


@transaction.atomic  # the claim commits with its job or not at all (else no host holds it until the sweep)
def job_claim(*, host: JudgeHost, languages: list[str]) -> dict | None:
    """A waiting Run-box tryout, else the fairest queued submission this host can run, as a job; None
    when there is none."""
    if settings.JUDGE_EXECUTION != "hosts":
        return None
    if not host.public_key:
        raise HostRefused(403, "announce this host's signing key in a heartbeat before claiming jobs")
    wanted = [key for key in languages if key in sandbox.LANGUAGES]
    if tryout := tryouts.tryout_job_claim(host=host, languages=wanted):
        return tryout  # first: someone is waiting on the run box, and a tryout is a single run
    submission = submission_claim_next(worker=host.worker_name, languages=wanted)
    if submission is None:
        return None
    tests = [
        _test_data(order, test) for order, test in enumerate(judging.tests_ordered(submission.problem), 1)
    ]
    job = JudgeJob.objects.create(
        host=host, submission=submission, claim=submission.claim, tests=files_served(tests)
    )
    return _job_data(job, submission, tests)


def _test_data(order: int, test: TestCase) -> dict:
    input_sha, answer_sha = test_hashes(test)
    return {
        "id": test.id,
        "order": order,
        "input": input_sha,
        "answer": answer_sha,
        "group": test.group.name if test.group else "",
        "sample": test.is_sample,
    }


def _check(problem: Problem) -> dict:
    checker = None
    if problem.checker == Problem.Checker.CUSTOM and problem.checker_source and problem.checker_language:
        checker = program_data(
            language=problem.checker_language,
            source=problem.checker_source,
            entry=problem.checker_entry,
            files=problem.checker_files,
        )
    return {
        "kind": problem.checker,
        "abs_tol": problem.float_abs_tolerance,
        "rel_tol": problem.float_rel_tolerance,
        "case_sensitive": problem.case_sensitive,
        "interactive": problem.interactive,
        "program": checker,
    }


def _job_data(job: JudgeJob, submission: Submission, tests: list[dict]) -> dict:
    problem = submission.problem
    entry, files = judging.program_sources(
        problem=problem,
        language=submission.language,
        source=submission.source,
        entry=submission.entry,
        files=submission.files,
    )
    plan = judging.judging_plan(problem)
    program = program_data(language=submission.language, source=submission.source, entry=entry, files=files)
    return {
        "kind": "judge",
        "job": job.id,
        "claim": job.claim,
        "submission": submission.id,
        "program": program,
        "limits": limits_data(problem),
        "check": _check(problem),
        "tests": tests,
        "skip_failed_groups": plan.skip_failed_groups,
        "stop_on_failure": plan.stop_on_failure,
        "excerpt_limit": judging.EXCERPT_LIMIT,
        "compile_output_limit": judging.COMPILE_OUTPUT_LIMIT,
    }


def test_file_get(*, host: JudgeHost, sha: str) -> bytes:
    """A test file of one of the host's running jobs, by its SHA-256; HostRefused(404) for any other."""
    running = JudgeJob.objects.filter(host=host, finished_at__isnull=True).filter(
        Q(submission__isnull=True) | Q(submission__claim=F("claim"))  # a tryout, or a claim still valid
    )
    for tests in running.values_list("tests", flat=True):
        if sha in tests:
            test_id, kind = tests[sha]
            test = TestCase.objects.filter(pk=test_id).first()
            if test is not None:
                return test.read_input() if kind == "input" else test.read_answer()
    raise HostRefused(404, "no running job of this host has that test file")


def job_result_apply(*, host: JudgeHost, job_id: int, body: bytes, signature: str) -> None:
    """Apply one signed result message of a job; HostRefused says why one is not (403 bad signature,
    409 already seen, 410 the claim is no longer valid, 400 malformed)."""
    job = JudgeJob.objects.filter(pk=job_id, host=host).first()
    if job is None:
        raise HostRefused(404, "no such job of this host")
    if not host.public_key or not signing.signature_valid(
        public_key=host.public_key, data=body, signature=signature
    ):
        raise HostRefused(403, "the result's signature does not match this host's key")
    message = _message(body)
    if message["job"] != job.id or message["claim"] != job.claim:
        raise HostRefused(410, "this result is for another claim")
    try:
        with transaction.atomic():
            if not JudgeJob.objects.filter(pk=job.pk, last_seq__lt=message["seq"]).update(
                last_seq=message["seq"]
            ):
                raise HostRefused(409, "this result message was already received")
            (tryouts.tryout_result_apply if job.tryout else _apply)(host, job, message)
    except judging.ClaimLost as exc:
        raise HostRefused(410, str(exc)) from None


def _message(body: bytes) -> dict:
    try:
        message = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise HostRefused(400, "a result is a JSON object") from None
    if not isinstance(message, dict):
        raise HostRefused(400, "a result is a JSON object")
    for key, kind in (("job", int), ("seq", int), ("claim", str), ("kind", str)):
        if not isinstance(message.get(key), kind):
            raise HostRefused(400, f"a result needs {key!r}")
    return message


def _submission(job: JudgeJob) -> Submission:
    submission = Submission.objects.select_related("problem", "problem__tenant").get(pk=job.submission_id)
    if submission.claim != job.claim:
        raise judging.ClaimLost(f"submission {submission.pk} is no longer this job's")
    return submission


def _apply(host: JudgeHost, job: JudgeJob, message: dict) -> None:
    submission = _submission(job)
    kind = message["kind"]
    if kind == "compile":
        if "record" in message:  # none when the language has no compile step
            run = records.record_apply(
                host=host, job=job, of=submission, message=message, kind=AuditRecord.Kind.COMPILE
            )
            metrics.compile_observed(language=submission.language, result=run)
        judging.compile_result_apply(
            submission=submission, ok=message.get("ok") is True, output=str(message.get("output", ""))
        )
        if message.get("ok") is not True:
            _job_finish(job)
    elif kind == "test":
        test, order = _test_named(submission, message)
        run = records.record_apply(
            host=host,
            job=job,
            of=submission,
            message=message,
            kind=AuditRecord.Kind.RUN,
            test=(order, test.id),
        )
        judged = _test_judged(message, run)
        metrics.run_observed(language=submission.language, tenant=submission.tenant.slug, run=judged.run)
        judging.test_result_apply(submission=submission, test=test, order=order, judged=judged)
    elif kind == "done":
        _done(job, submission)
    elif kind == "failed":
        judging.judging_failed_apply(
            submission=submission,
            message=str(message.get("message", ""))[:4000],
            engine_problem=str(message.get("engine_problem", ""))[:500],
        )
        _job_finish(job)
    else:
        raise HostRefused(400, f"unknown result kind {kind!r}")


def _job_finish(job: JudgeJob) -> None:
    JudgeJob.objects.filter(pk=job.pk).update(finished_at=timezone.now())


def _test_named(submission: Submission, message: dict) -> tuple[TestCase, int]:
    """The test a result is of, and its order, checked before anything is logged."""
    verdict, order = message.get("verdict"), message.get("order")
    if verdict not in _TEST_VERDICTS:
        raise HostRefused(400, f"not a test verdict: {verdict!r}")
    ordered = judging.tests_ordered(submission.problem)
    if (
        not isinstance(order, int)
        or not 1 <= order <= len(ordered)
        or ordered[order - 1].id != message.get("test")
    ):
        raise HostRefused(400, "the result names no test of this job")
    return ordered[order - 1], order


def _test_judged(message: dict, run: sandbox.RunResult) -> sandbox.TestJudged:
    fraction = records.number(message, "fraction", optional=True)
    run = dataclasses.replace(
        run, stdout=str(message.get("stdout", "")).encode(), stderr=str(message.get("stderr", "")).encode()
    )
    return sandbox.TestJudged(
        message["verdict"],
        str(message.get("message", "")),
        None if fraction is None else min(1.0, fraction),
        run,
    )


def _done(job: JudgeJob, submission: Submission) -> None:
    problem = submission.problem
    results = list(TestResult.objects.filter(submission=submission).order_by("order"))
    if missing := _missing_test(problem, {r.order: r.verdict for r in results}):
        judging.judging_failed_apply(submission=submission, message=f"the judge host skipped test {missing}")
    else:
        outcomes = [
            TestOutcome(
                order=r.order,
                group=r.group_name,
                verdict=r.verdict,
                time=r.time,
                memory=r.memory,
                fraction=r.fraction,
            )
            for r in results
        ]
        judging.submission_finish(submission=submission, outcomes=outcomes)
    _job_finish(job)


def _missing_test(problem: Problem, verdicts: dict[int, str]) -> int | None:
    """The first test a complete judging must have run but the host did not report (as _run_tests skips)."""
    plan = judging.judging_plan(problem)
    for order, test in enumerate(judging.tests_ordered(problem), start=1):
        group = test.group.name if test.group else ""
        if not plan.due(group):
            continue
        if order not in verdicts:
            return order
        if plan.record(group, verdicts[order]):
            return None
    return None
