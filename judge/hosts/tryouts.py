"""Run-box tryouts on judge hosts (JUDGE_EXECUTION=hosts): the site's worker queues them, a host claims
one like a job, and its answer is stored for the run box exactly as the local worker stores it
(judge/judging/tryout.py). A tryout whose host does not answer in time gets "not available"."""

import base64
import dataclasses
import datetime as dt
import logging
import secrets

from django.utils import timezone

import sandbox
from judge.audit.models import AuditRecord
from judge.hosts import records
from judge.hosts.errors import HostRefused
from judge.hosts.models import JudgeHost, JudgeJob, QueuedTryout
from judge.hosts.programs import files_served, limits_data, program_data
from judge.judging import services as judging
from judge.judging import tryout as local
from judge.submissions.tryout import RESULT_SECONDS, tryout_claim, tryout_pending, tryout_result_save
from problems.models import Problem
from problems.services.testfiles import test_hashes

log = logging.getLogger(__name__)
ANSWER_SECONDS = 300  # a claimed tryout a host has not answered by then is answered "not available"
CLAIM_BATCH = 20


def tryout_enqueue(*, token: str) -> None:
    """Queue the pending run under `token` for the hosts (the site's worker does this, not the run)."""
    entry = tryout_pending(token=token)
    if entry is not None:
        QueuedTryout.objects.get_or_create(token=token, defaults={"language": entry["language"]})


def tryout_job_claim(*, host: JudgeHost, languages: list[str]) -> dict | None:
    """The oldest waiting tryout in one of `languages`, as a job; None when there is none."""
    waiting = QueuedTryout.objects.filter(language__in=languages, created_at__gte=_expired_before())
    for queued in waiting.order_by("created_at")[:CLAIM_BATCH]:
        if not QueuedTryout.objects.filter(pk=queued.pk).delete()[0]:
            continue  # another host took it just now
        entry = tryout_claim(token=queued.token)
        if entry is None:
            continue  # expired, or a worker has it
        return _job_data(host, queued.token, entry)
    return None


def _job_data(host: JudgeHost, token: str, entry: dict) -> dict:
    problem = Problem.objects.get(pk=entry["problem_id"])
    entry_file, files = judging.program_sources(
        problem=problem, language=entry["language"], source=entry["source"], entry="", files={}
    )
    program = program_data(language=entry["language"], source=entry["source"], entry=entry_file, files=files)
    sample = local.tryout_sample(problem, entry["sample"]) if entry["sample"] is not None else None
    input_sha, answer_sha = test_hashes(sample) if sample is not None else (None, None)
    served = files_served([{"id": sample.id, "input": input_sha, "answer": answer_sha}] if sample else [])
    job = JudgeJob.objects.create(host=host, tryout=token, claim=secrets.token_hex(16), tests=served)
    return {
        "kind": "tryout",
        "job": job.id,
        "claim": job.claim,
        "submission": None,
        "program": program,
        "limits": limits_data(problem),
        "input": input_sha,
        "answer": answer_sha,
        "stdin": base64.b64encode(entry["stdin"]).decode() if sample is None else "",
        "case_sensitive": problem.case_sensitive,
        "stdout_limit": local.STDOUT_LIMIT,
        "stderr_tail": local.STDERR_TAIL,
        "compile_output_limit": local.COMPILE_OUTPUT_LIMIT,
    }


def tryout_result_apply(host: JudgeHost, job: JudgeJob, message: dict) -> None:
    """A host's answer to a tryout: its signed records logged, the run charged, the run box answered."""
    if job.finished_at is not None:
        raise HostRefused(410, "this tryout was answered already")
    entry = tryout_pending(token=job.tryout)
    if entry is None:
        _finish(job)
        raise HostRefused(410, "this tryout expired before its answer came")
    if message["kind"] == "failed":
        log.warning("judge host %s failed tryout job %s: %s", host.name, job.id, message.get("message"))
        result, cpu = {"outcome": sandbox.Outcome.IE.value, "message": local.UNAVAILABLE}, 0.0
    elif message["kind"] == "tryout":
        result, cpu = _result(host, job, local.tryout_logged(entry), message)
    else:
        raise HostRefused(400, f"a tryout's answer is 'tryout' or 'failed', not {message['kind']!r}")
    local.tryout_finish(token=job.tryout, entry=entry, result=result, cpu=cpu)
    _finish(job)


def _result(host: JudgeHost, job: JudgeJob, logged, message: dict) -> tuple[dict, float]:
    output, compiled_ok, ran = str(message.get("compile_output", "")), message.get("compile_ok") is True, None
    if compiled_ok and not isinstance(ran := message.get("run"), dict):
        raise HostRefused(400, "a compiled tryout's answer carries its run")
    if not compiled_ok:
        try:
            outcome = sandbox.Outcome(message.get("compile_outcome"))
        except ValueError:
            raise HostRefused(400, "a failed compile names its outcome") from None
    cpu = 0.0
    if isinstance(compiled := message.get("compile"), dict):  # none when the language has no compile step
        cpu += records.record_apply(
            host=host, job=job, of=logged, message=compiled, kind=AuditRecord.Kind.COMPILE
        ).cpu_time
    if not compiled_ok:
        return local.compile_failed_result(outcome=outcome, output=output), cpu
    run = records.record_apply(
        host=host, job=job, of=logged, message=ran, kind=AuditRecord.Kind.RUN, test=(0, None)
    )
    run = dataclasses.replace(
        run,
        stdout=str(ran.get("stdout", ""))[: local.STDOUT_LIMIT].encode(),
        stderr=str(ran.get("stderr", ""))[-local.STDERR_TAIL :].encode(),
        message=str(ran.get("message", ""))[:500],
    )
    result = local.run_result(compile_output=output, run=run)
    result["stdout_truncated"] = ran.get("stdout_truncated") is True
    if job.tests and run.outcome == sandbox.Outcome.OK and isinstance(ran.get("matches"), bool):
        result["matches"] = ran["matches"]  # checked on the host, on the whole output
    return result, cpu + run.cpu_time


def _finish(job: JudgeJob) -> None:
    JudgeJob.objects.filter(pk=job.pk).update(finished_at=timezone.now())


def _expired_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=RESULT_SECONDS)  # the run itself is gone from the cache


def tryout_jobs_unanswered(*, older_than: float = ANSWER_SECONDS, host: JudgeHost | None = None) -> int:
    """Answer "not available" for tryouts whose host went silent (or, with `host`, was revoked); forget
    queued ones that expired unclaimed."""
    QueuedTryout.objects.filter(created_at__lt=_expired_before()).delete()
    jobs = JudgeJob.objects.filter(finished_at__isnull=True).exclude(tryout="")
    jobs = (
        jobs.filter(host=host)
        if host is not None
        else jobs.filter(created_at__lt=timezone.now() - dt.timedelta(seconds=older_than))
    )
    answered = 0
    for job in jobs:
        if (entry := tryout_pending(token=job.tryout)) is not None:
            tryout_result_save(
                token=job.tryout,
                entry=entry,
                result={"outcome": sandbox.Outcome.IE.value, "message": local.UNAVAILABLE},
            )
            answered += 1
        _finish(job)
    return answered
