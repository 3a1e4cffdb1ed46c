from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from judge import events, events_contests
from judge.errors import SubmissionRejected
from judge.models import Contest, Submission
from judge.selectors_contests import contest_problem_for_submission
from judge.services.quotas import quota_check_submit, quota_tenant_for_submission, usage_record
from problems.selectors import problem_get_for_user
from sandbox import LANGUAGES


def _validate_source(*, language: str, source: str) -> None:
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
    *, user: User, problem_code: str, language: str, source: str, contest: Contest | None = None
) -> Submission:
    """Validate, check quotas, save, and queue for judging once the transaction commits.
    With `contest`: the problem must be in it and the user may submit to it now (see selectors_contests).
    The submission is charged to the tenant quota_tenant_for_submission picks (maybe the public pool)."""
    if contest is None:
        problem = problem_get_for_user(user=user, code=problem_code)
    else:
        problem = contest_problem_for_submission(user=user, contest=contest, code=problem_code)
    _validate_source(language=language, source=source)
    from judge.tasks import judge_submission  # tasks import services; import here to keep one direction

    with transaction.atomic():
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
        judge_submission.delay_on_commit(submission.id)
        events.publish_submission(submission)
        events_contests.publish_contest_submission(submission)
    return submission


@transaction.atomic
def submission_requeue(*, submission: Submission, priority: int = 0) -> Submission:
    """Judge again from scratch (rejudges and the stuck-submission sweeper)."""
    from judge.tasks import judge_submission

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
    judge_submission.delay_on_commit(submission.id)
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
    return submission_requeue(submission=submission, priority=REJUDGE_PRIORITY)


def submission_rejudge_many(*, submissions) -> int:
    """Rejudge every finished submission of a queryset (one problem's, one contest's); returns how many."""
    count = 0
    for submission in submissions.filter(status=Submission.Status.DONE).select_related("problem"):
        submission_rejudge(submission=submission)
        count += 1
    return count
