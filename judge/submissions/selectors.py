from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import tenant_ids_for_staff, user_is_staff_of
from judge.submissions.models import Submission, TestResult, Verdict
from judge.submissions.scoring import TestOutcome, group_earned


def submission_get_for_user(*, user: User, submission_id: int) -> Submission:
    """The one way to reach a submission: its author, or staff of the tenant it is charged to or of its
    problem's tenant (practice by outsiders is charged to the public pool); anyone else gets a 404."""
    submission = (
        Submission.objects.select_related("problem", "user", "tenant").filter(pk=submission_id).first()
    )
    if submission is None or not user.is_authenticated:
        raise Http404("No such submission")
    if submission.user_id != user.id and not submission_is_staff_viewer(user=user, submission=submission):
        raise Http404("No such submission")
    return submission


def submission_resubmit_initial(*, user: User, submission_id, problem_id: int) -> dict:
    """For "edit and resubmit": `?from=<id>` fills the form with that submission's source and language,
    for its author or staff (submission_get_for_user); anything else, or another problem's, is ignored."""
    try:
        submission = submission_get_for_user(user=user, submission_id=int(submission_id))
    except (TypeError, ValueError, Http404):
        return {}
    if submission.problem_id != problem_id:
        return {}
    return {"language": submission.language, "source": submission.source}


def submission_is_staff_viewer(*, user: User, submission: Submission) -> bool:
    """Staff of the tenant the submission is charged to, or of its problem's tenant (practice by outsiders
    is charged to the public pool, and the problem's staff still look after it)."""
    return any(
        user_is_staff_of(user=user, tenant_id=tenant_id)
        for tenant_id in {submission.tenant_id, submission.problem.tenant_id}
    )


def submission_list_for_user(*, user: User) -> QuerySet[Submission]:
    mine = Submission.objects.filter(user=user, kind=Submission.Kind.NORMAL)
    return mine.select_related("problem").defer("source")


def submission_list_for_user_filtered(
    *, user: User, problem: str = "", verdict: str = "", language: str = ""
) -> QuerySet[Submission]:
    """ "My submissions", narrowed to a problem (by code), a verdict and a language when they are given."""
    submissions = submission_list_for_user(user=user)
    if problem:
        submissions = submissions.filter(problem__code=problem)
    if verdict:
        submissions = submissions.filter(verdict=verdict, status=Submission.Status.DONE)
    if language:
        submissions = submissions.filter(language=language)
    return submissions


def submission_problem_choices_for_user(*, user: User) -> list[tuple[str, str]]:
    """(code, title) of the problems this user submitted to, by code: the choices of the problem filter."""
    rows = submission_list_for_user(user=user).values_list("problem__code", "problem__title").distinct()
    return sorted(rows)


def submission_list_for_staff(*, user: User) -> QuerySet[Submission]:
    """Submissions charged to the user's tenants or made to their problems (even if charged elsewhere)."""
    tenant_ids = tenant_ids_for_staff(user=user)
    charged = Submission.objects.filter(tenant_id__in=tenant_ids)
    to_their_problems = Submission.objects.filter(problem__tenant_id__in=tenant_ids)
    return (charged | to_their_problems).select_related("problem", "user")


def submission_list_recent_for_user(*, user: User, limit: int = 5) -> list[Submission]:
    """The user's latest practice submissions, newest first, for the home page."""
    if not user.is_authenticated:
        return []
    return list(submission_list_for_user(user=user).order_by("-created_at", "-id")[:limit])


def submission_recent_for_problem(*, user: User, problem_id: int, limit: int = 10) -> list[Submission]:
    if not user.is_authenticated:
        return []
    return list(submission_list_for_user(user=user).filter(problem_id=problem_id)[:limit])


def test_results_for(*, submission: Submission) -> QuerySet[TestResult]:
    return submission.results.order_by("order")


def problem_marks_for_user(*, user: User) -> dict[str, set[int]]:
    if not user.is_authenticated:
        return {"solved": set(), "attempted": set()}
    rows = Submission.objects.filter(user=user, kind=Submission.Kind.NORMAL).values_list(
        "problem_id", "verdict"
    )
    solved = {pid for pid, verdict in rows if verdict == Verdict.AC}
    return {"solved": solved, "attempted": {pid for pid, _ in rows} - solved}


def problem_practice_stats(*, problem_ids) -> dict[int, dict[str, int]]:
    """Per problem, in one query: how many people solved it and how many judged submissions were accepted.
    Practice only: contest submissions would show, during a freeze, verdicts the scoreboard hides."""
    practice = Submission.objects.filter(
        problem_id__in=problem_ids,
        kind=Submission.Kind.NORMAL,
        contest__isnull=True,
        status=Submission.Status.DONE,
    )
    rows = practice.values("problem_id").annotate(
        solvers=Count("user", filter=Q(verdict=Verdict.AC), distinct=True),
        judged=Count("id"),
        accepted=Count("id", filter=Q(verdict=Verdict.AC)),
    )
    return {row.pop("problem_id"): row for row in rows}


def judge_stats_for_user(*, user: User) -> dict[str, int]:
    """The viewer's own figures. Never site-wide totals: those would leak other courses' activity and,
    during a scoreboard freeze, verdicts the board hides (an "Accepted" count that goes up)."""
    if not user.is_authenticated:
        return {}
    done = submission_list_for_user(user=user).filter(status=Submission.Status.DONE)
    solved = done.filter(verdict=Verdict.AC).values("problem_id").distinct().count()
    return {"submissions": done.count(), "solved": solved}


def group_scores_for(*, submission: Submission) -> list[dict]:
    """Per subtask of a group-scored problem: its points, what this submission earned, and why."""
    problem = submission.problem
    if problem.scoring != problem.Scoring.GROUPS:
        return []
    results = list(submission.results.values_list("order", "group_name", "verdict", "fraction"))
    rows = []
    for group in problem.groups.annotate(size=Count("tests")).order_by("order", "id"):
        # The score's own rule (judge.submissions.scoring.group_earned), partial credit included.
        members = [
            TestOutcome(order, name, verdict, fraction=fraction)
            for order, name, verdict, fraction in results
            if name == group.name
        ]
        passed = len(members) == group.size and all(m.verdict == Verdict.AC for m in members)
        failed = next((m.verdict for m in members if m.verdict != Verdict.AC), "")
        state = "passed" if passed else "failed" if failed else "pending"
        earned = (
            group_earned(points=group.points, members=members) if passed and submission.is_finished else 0
        )
        rows.append(
            {"name": group.name, "points": group.points, "earned": earned, "state": state, "verdict": failed}
        )
    return rows


def submission_contest_label(*, submission: Submission) -> str:
    """The problem's label (A, B, ...) in the submission's contest; empty outside contests."""
    if submission.contest_id is None:
        return ""
    entry = submission.contest.contest_problems.filter(problem_id=submission.problem_id)
    return entry.values_list("label", flat=True).first() or ""


def submission_queue_position(*, submission: Submission) -> int | None:
    """Its place among the waiting submissions (1 = next); None once it is being judged."""
    if submission.status != Submission.Status.QUEUED:
        return None
    # The same order as judge.judging.queue.queue_positions_publish: priority first, then age.
    ahead = Submission.objects.filter(status=Submission.Status.QUEUED).filter(
        Q(priority__lt=submission.priority) | Q(priority=submission.priority, id__lt=submission.id)
    )
    return ahead.count() + 1
