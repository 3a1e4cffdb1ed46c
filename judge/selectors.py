from django.db.models import Count, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.selectors import tenant_ids_for_staff, user_is_staff_of
from judge.models import Submission, TestResult, Verdict


def submission_get_for_user(*, user: User, submission_id: int) -> Submission:
    """The one way to reach a submission: its author, or staff of its tenant; anyone else gets a 404."""
    submission = (
        Submission.objects.select_related("problem", "user", "tenant").filter(pk=submission_id).first()
    )
    if submission is None or not user.is_authenticated:
        raise Http404("No such submission")
    if submission.user_id != user.id and not user_is_staff_of(user=user, tenant_id=submission.tenant_id):
        raise Http404("No such submission")
    return submission


def submission_list_for_user(*, user: User) -> QuerySet[Submission]:
    mine = Submission.objects.filter(user=user, kind=Submission.Kind.NORMAL)
    return mine.select_related("problem").defer("source")


def submission_list_for_staff(*, user: User) -> QuerySet[Submission]:
    return Submission.objects.filter(tenant_id__in=tenant_ids_for_staff(user=user)).select_related(
        "problem", "user"
    )


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


def judge_stats() -> dict[str, int]:
    done = Submission.objects.filter(status=Submission.Status.DONE, kind=Submission.Kind.NORMAL)
    return {"submissions": done.count(), "accepted": done.filter(verdict=Verdict.AC).count()}


def group_scores_for(*, submission: Submission) -> list[dict]:
    """Per subtask of a group-scored problem: its points, what this submission earned, and why."""
    problem = submission.problem
    if problem.scoring != problem.Scoring.GROUPS:
        return []
    results = list(submission.results.values_list("group_name", "verdict"))
    rows = []
    for group in problem.groups.annotate(size=Count("tests")).order_by("order", "id"):
        verdicts = [verdict for name, verdict in results if name == group.name]
        passed = len(verdicts) == group.size and all(v == Verdict.AC for v in verdicts)
        failed = next((v for v in verdicts if v != Verdict.AC), "")
        state = "passed" if passed else "failed" if failed else "pending"
        earned = group.points if passed and submission.is_finished else 0
        rows.append(
            {"name": group.name, "points": group.points, "earned": earned, "state": state, "verdict": failed}
        )
    return rows
