"""Writes of submissions: create (validated, within quota), requeue, rejudge."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.audit import staff_action_note
from accounts.models import User
from judge.submissions import dispatch, events
from judge.submissions.errors import SubmissionRejected
from judge.submissions.models import Submission
from judge.submissions.quotas import (
    quota_check_submit,
    quota_rejections_counted,
    quota_tenant_for_submission,
    usage_record,
)
from problems.models import Problem
from sandbox import LANGUAGES

if TYPE_CHECKING:  # contests build on submissions, never the other way round
    from judge.contests.models import Contest


def submission_source_validate(*, language: str, source: str) -> None:
    """Raises SubmissionRejected for an unknown language or a source that is empty, too large or binary."""
    if language not in LANGUAGES:
        known = ", ".join(sorted(LANGUAGES))
        raise SubmissionRejected(f"Unknown language {language!r}; choose one of: {known}.", field="language")
    if not source.strip():
        raise SubmissionRejected("The source code is empty.", field="source")
    size = len(source.encode())
    if size > settings.JUDGE_MAX_SOURCE_BYTES:
        raise SubmissionRejected(
            f"The source is {size} bytes; the limit is {settings.JUDGE_MAX_SOURCE_BYTES} bytes.",
            field="source",
        )
    if "\x00" in source:
        raise SubmissionRejected("The source contains NUL bytes; upload a text file.", field="source")


def submission_create(
    *, user: User, problem: Problem, language: str, source: str, contest: Contest | None = None
) -> Submission:
    """Validate, check quotas, save, and queue for judging once the transaction commits.

    `problem` is one the caller already reached through its access function: problem_get_for_user for
    practice, judge.contests.services.contest_submission_create (which passes `contest`) in a contest.
    The submission is charged to the tenant quota_tenant_for_submission picks (maybe the public pool).
    Refused with 503 when no worker is alive or the queue is over JUDGE_MAX_QUEUE_DEPTH."""
    submission_source_validate(language=language, source=source)
    dispatch.judging_capacity_check()
    with quota_rejections_counted(), transaction.atomic():
        payer = quota_tenant_for_submission(user=user, problem=problem, contest=contest)
        quota_check_submit(tenant=payer, user=user)
        submission = Submission.objects.create(
            user=user,
            problem=problem,
            tenant=payer,
            language=language,
            source=source,
            tests_total=problem.tests.count(),
            contest=contest,
        )
        usage_record(tenant_id=payer.id, submissions=1)
        dispatch.judging_request(submission_id=submission.id)
        events.publish_submission(submission)
    return submission


@transaction.atomic
def submission_requeue(*, submission: Submission, priority: int = 0) -> Submission:
    """Judge again from scratch (rejudges and the stuck-submission sweeper)."""

    submission.results.all().delete()
    submission.status = Submission.Status.QUEUED
    submission.verdict = ""
    submission.score = 0
    submission.max_time = submission.max_memory = None
    submission.compile_output = submission.internal_message = ""
    submission.tests_done = 0
    submission.tests_total = submission.problem.tests.count()
    submission.priority = priority
    submission.started_at = submission.heartbeat_at = submission.judged_at = None
    submission.claim = ""  # whoever was judging it can no longer write
    submission.save(
        update_fields=[
            "status",
            "verdict",
            "score",
            "max_time",
            "max_memory",
            "compile_output",
            "internal_message",
            "tests_done",
            "tests_total",
            "priority",
            "started_at",
            "heartbeat_at",
            "judged_at",
            "claim",
        ]
    )
    dispatch.judging_request(submission_id=submission.id)
    events.publish_submission(submission)
    return submission


REJUDGE_PRIORITY = 1  # behind live submissions, so a running contest is not slowed down


@transaction.atomic
def submission_rejudge(*, submission: Submission) -> Submission:
    """Judge a finished submission again at low priority, remembering what it had before."""
    if submission.is_finished:
        submission.previous_verdict = submission.verdict
        submission.previous_score = submission.score
        submission.rejudged_at = timezone.now()
        submission.save(update_fields=["previous_verdict", "previous_score", "rejudged_at"])
    staff_action_note(
        action="submission.rejudge", tenant_id=submission.tenant_id, target=f"submission {submission.id}"
    )
    return submission_requeue(submission=submission, priority=REJUDGE_PRIORITY)


@transaction.atomic
def submission_requeue_by_staff(*, submission: Submission) -> Submission:
    """Staff judge a waiting or stuck submission from scratch, keeping its place (its message may be lost)."""
    staff_action_note(
        action="submission.requeue", tenant_id=submission.tenant_id, target=f"submission {submission.id}"
    )
    return submission_requeue(submission=submission, priority=submission.priority)


def submission_rejudge_many(*, submissions) -> int:
    """Rejudge every finished submission of a queryset (one problem's, one contest's); returns how many."""
    count = 0
    for submission in submissions.filter(status=Submission.Status.DONE).select_related("problem"):
        submission_rejudge(submission=submission)
        count += 1
    return count
