"""Try a program before submitting: one run on a sample's input or the user's own, never judged.

This is the request side (validate, rate, quota, queue) and the store both sides share: a run lives only
in the cache, under a random token, for RESULT_SECONDS. The worker side is judge/judging/tryout.py; the
task is named, not imported (see dispatch.py).
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django_ratelimit.core import get_usage

from accounts.models import User
from judge.celery import app
from judge.submissions.errors import SubmissionRejected
from judge.submissions.quotas import quota_check_submit, quota_rejections_counted, quota_tenant_for_submission
from judge.submissions.services import submission_source_validate
from problems.models import Problem
from problems.selectors import problem_samples

RUN_TASK = "judge.tasks.tryout_run"
MAX_INPUT_BYTES = 64 * 1024
RESULT_SECONDS = 600
PENDING, DONE = "pending", "done"


def _key(token: str) -> str:
    return f"judge:tryout:{token}"


def tryout_rate_check(request) -> None:
    """Runs have their own per-user rate (JUDGE_RUN_RATE), apart from submissions'."""
    rate = settings.JUDGE_RUN_RATE
    usage = get_usage(
        request, group="judge.run", key="user_or_ip", rate=rate, method=["POST"], increment=True
    )
    if usage and usage["should_limit"]:
        wait = max(1, int(usage["time_left"]))
        raise SubmissionRejected(
            f"Too many runs: the limit is {rate} per user. Try again in {wait} s.",
            status=429,
            retry_after=wait,
        )


def _stdin_for(*, problem: Problem, sample: int | None, stdin: str) -> bytes:
    if sample is not None:
        if not 1 <= sample <= problem_samples(problem=problem).count():
            raise SubmissionRejected(f"The problem has no sample {sample}.", field="sample")
        return b""  # the worker reads the sample itself
    data = stdin.replace("\r\n", "\n").encode()
    if len(data) > MAX_INPUT_BYTES:
        raise SubmissionRejected(
            f"The input is {len(data)} bytes; the limit is {MAX_INPUT_BYTES} bytes.", field="stdin"
        )
    return data


def tryout_create(
    *, user: User, problem: Problem, language: str, source: str, sample: int | None, stdin: str = ""
) -> str:
    """Queue one run of `source` on sample number `sample` (from 1) or, when None, on `stdin`; returns the
    token to poll with tryout_result_get. Refused like a submission: source checks, then the payer's quota
    (its CPU seconds are charged when the run ends). `problem` comes from problem_get_for_user."""
    submission_source_validate(language=language, source=source)
    if problem.interactive:
        raise SubmissionRejected("Interactive problems cannot be tried here: submit instead.")
    data = _stdin_for(problem=problem, sample=sample, stdin=stdin)
    with quota_rejections_counted(), transaction.atomic():
        payer = quota_tenant_for_submission(user=user, problem=problem, contest=None)
        quota_check_submit(tenant=payer, user=user)
    token = secrets.token_urlsafe(18)
    entry = {"status": PENDING, "user_id": user.pk, "problem_id": problem.pk, "tenant_id": payer.pk}
    entry |= {"language": language, "source": source, "sample": sample, "stdin": data}
    cache.set(_key(token), entry, RESULT_SECONDS)
    app.send_task(RUN_TASK, args=[token])  # broker down: dispatch.SERVICE_ERRORS, the view answers 503
    return token


def tryout_claim(*, token: str) -> dict | None:
    """The pending run for the worker, once: None when it expired, is done or another delivery has it."""
    entry = cache.get(_key(token))
    if entry is None or entry["status"] != PENDING:
        return None
    if not cache.add(_key(token) + ":claim", 1, RESULT_SECONDS):
        return None
    return entry


def tryout_pending(*, token: str) -> dict | None:
    """The run under `token` while it waits for its result (claimed or not); None once done or expired."""
    entry = cache.get(_key(token))
    return entry if entry is not None and entry["status"] == PENDING else None


def tryout_result_save(*, token: str, entry: dict, result: dict) -> None:
    cache.set(_key(token), {"status": DONE, "user_id": entry["user_id"], **result}, RESULT_SECONDS)


def tryout_result_get(*, user: User, token: str) -> dict:
    """What the run box shows: {"status": "pending"} or the result. Http404 for anyone but its author."""
    entry = cache.get(_key(token))
    if entry is None or entry["user_id"] != user.pk:
        raise Http404("No such run")
    if entry["status"] == PENDING:
        return {"status": PENDING}
    return {key: value for key, value in entry.items() if key != "user_id"}
