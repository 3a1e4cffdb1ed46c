import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from judge.submissions.models import Submission
from judge.submissions.services import submission_requeue

log = logging.getLogger(__name__)


def submission_sweep_stuck(*, older_than: int | None = None) -> list[int]:
    """Requeue submissions whose worker went silent (died mid-judging); returns their ids."""
    seconds = older_than if older_than is not None else settings.JUDGE_STUCK_AFTER_SECONDS
    cutoff = timezone.now() - dt.timedelta(seconds=seconds)
    stuck = Submission.objects.filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff),
        status__in=(Submission.Status.COMPILING, Submission.Status.RUNNING),
    )
    swept = []
    for submission in stuck.select_related("problem"):
        log.warning("submission %s stuck since %s; judging it again", submission.id, submission.heartbeat_at)
        submission_requeue(submission=submission, priority=submission.priority)
        swept.append(submission.id)
    return swept
