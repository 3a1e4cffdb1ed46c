"""Starting a similarity check and running it (in a worker): fingerprint every final submission once,
then compare each pair in the same problem and language."""

import datetime as dt
import itertools
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from judge.celery import app
from judge.contests.models import Contest
from judge.similarity.models import SimilarityCheck
from judge.similarity.selectors import Final, similarity_finals
from judge.similarity.tokens import tokenize
from judge.similarity.winnowing import fingerprints, similarity
from judge.submissions.models import Submission
from problems.models import Problem

log = logging.getLogger(__name__)

CHECK_TASK = "judge.tasks.similarity_check"  # named, not imported: the task module imports this one
REPORT_SCORE = 0.5  # pairs at or above this share of fingerprints are listed
MAX_PAIRS_REPORTED = 500
PROGRESS_EVERY = 1000  # pairs between progress writes


@transaction.atomic
def similarity_check_start(
    *, user: User, problem: Problem | None = None, contest: Contest | None = None
) -> SimilarityCheck:
    """Queue a check of one problem or one contest; the caller has checked that `user` is its staff."""
    subject = problem or contest
    check = SimilarityCheck.objects.create(
        tenant_id=subject.tenant_id, problem=problem, contest=contest, created_by=user
    )
    transaction.on_commit(lambda: app.send_task(CHECK_TASK, args=[check.id]))
    return check


def _claim(check_id: int) -> bool:
    """Queued, or running for longer than a task may live (its worker died: the message came back)."""
    now = timezone.now()
    abandoned = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = Q(status=SimilarityCheck.Status.QUEUED) | Q(
        status=SimilarityCheck.Status.RUNNING, started_at__lt=abandoned
    )
    rows = SimilarityCheck.objects.filter(claimable, pk=check_id)
    return bool(rows.update(status=SimilarityCheck.Status.RUNNING, started_at=now, pairs_done=0))


def similarity_check_run(*, check_id: int) -> None:
    """Run a queued check; a second delivery of the same message finds it claimed and does nothing."""
    if not _claim(check_id):
        return
    check = SimilarityCheck.objects.select_related("problem", "contest").get(pk=check_id)
    try:
        _run(check)
    except Exception as exc:
        log.exception("similarity check %s failed", check_id)
        check.status, check.message, check.finished_at = (
            SimilarityCheck.Status.FAILED,
            str(exc),
            timezone.now(),
        )
        check.save(update_fields=["status", "message", "finished_at"])


def _run(check: SimilarityCheck) -> None:
    finals, skipped = similarity_finals(problem=check.problem, contest=check.contest)
    groups: dict[tuple, list[Final]] = defaultdict(list)
    for final in finals:
        groups[final.group].append(final)
    check.submissions_compared, check.submissions_skipped = len(finals), skipped
    check.pairs_total = sum(len(g) * (len(g) - 1) // 2 for g in groups.values())
    check.save(update_fields=["submissions_compared", "submissions_skipped", "pairs_total"])
    sources = Submission.objects.in_bulk([f.id for f in finals])
    prints = {
        f.id: fingerprints([t.text for t in tokenize(source=sources[f.id].source, language=f.language)])
        for f in finals
    }
    found, done = [], 0
    for members in groups.values():
        for a, b in itertools.combinations(sorted(members, key=lambda f: f.id), 2):
            score = similarity(prints[a.id], prints[b.id])
            if score >= REPORT_SCORE:
                found.append({"a": a.id, "b": b.id, "language": a.language, "score": round(score, 3)})
            done += 1
            if done % PROGRESS_EVERY == 0:
                SimilarityCheck.objects.filter(pk=check.pk).update(pairs_done=done)
    found.sort(key=lambda pair: (-pair["score"], pair["a"], pair["b"]))
    check.pairs, check.pairs_done = found[:MAX_PAIRS_REPORTED], done
    check.status, check.finished_at = SimilarityCheck.Status.DONE, timezone.now()
    check.save(update_fields=["pairs", "pairs_done", "status", "finished_at"])
