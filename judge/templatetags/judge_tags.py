"""Template helpers of the judge app; the problem list uses `problem_marks` (solved, attempted), and the
home page (a problems view, which must not import the judge) `home_activity`."""

from django import template

from judge.contests.selectors import contest_list_for_user
from judge.submissions.models import Verdict
from judge.submissions.selectors import (
    judge_stats_for_user,
    problem_marks_for_user,
    problem_practice_stats,
    submission_list_recent_for_user,
)
from sandbox import LANGUAGES, MiB

register = template.Library()


@register.filter
def seconds(value) -> str:
    return "—" if value is None else f"{value:.3f} s"


@register.filter
def mib(value) -> str:
    return "—" if value is None else f"{value / MiB:.1f} MiB"


@register.simple_tag
def compile_step_label(language_key: str) -> str:
    """What the compile step is called: a language that leaves no separate artifact only checks syntax."""
    language = LANGUAGES.get(language_key)
    return "Checking syntax" if language is not None and not language.artifacts else "Compiling"


@register.inclusion_tag("judge/_verdict_badge.html")
def verdict_badge(submission) -> dict:
    if submission.status == submission.Status.COMPILING:
        return {"status": submission.status, "verdict": "", "label": compile_step_label(submission.language)}
    if submission.status != submission.Status.DONE:
        return {"status": submission.status, "verdict": "", "label": submission.get_status_display()}
    return {
        "status": submission.status,
        "verdict": submission.verdict,
        "label": submission.get_verdict_display(),
    }


@register.simple_tag
def progress_outcome(submission) -> str:
    """running | passed | failed: the colour of a submission's test progress bar."""
    if not submission.is_finished:
        return "running"
    return "passed" if submission.verdict == Verdict.AC else "failed"


@register.simple_tag(takes_context=True)
def problem_marks(context) -> dict:
    return problem_marks_for_user(user=context["request"].user)


@register.simple_tag(takes_context=True)
def my_judge_stats(context) -> dict:
    return judge_stats_for_user(user=context["request"].user)


@register.simple_tag(takes_context=True)
def home_activity(context) -> dict:
    """The signed-in home page's judge parts: running and upcoming contests, the latest submissions."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"running": [], "upcoming": [], "recent": []}
    contests = contest_list_for_user(user=user)
    recent = submission_list_recent_for_user(user=user)
    return {"running": contests["running"], "upcoming": contests["upcoming"][:5], "recent": recent}


@register.simple_tag
def problem_rows(problems) -> list[dict]:
    """Each problem with its practice figures: solvers, and the acceptance rate in % (None if unjudged)."""
    problems = list(problems)
    stats = problem_practice_stats(problem_ids=[problem.id for problem in problems])
    rows = []
    for problem in problems:
        figures = stats.get(problem.id, {"solvers": 0, "judged": 0, "accepted": 0})
        rate = round(100 * figures["accepted"] / figures["judged"]) if figures["judged"] else None
        rows.append({"problem": problem, "solvers": figures["solvers"], "rate": rate, **figures})
    return rows
