"""Template helpers of the judge app, also used by problem pages (which must not import the judge)."""

from django import template

from judge.forms import SubmissionForm
from judge.selectors import judge_stats_for_user, problem_marks_for_user, submission_recent_for_problem
from sandbox import MiB

register = template.Library()


@register.filter
def seconds(value) -> str:
    return "—" if value is None else f"{value:.3f} s"


@register.filter
def mib(value) -> str:
    return "—" if value is None else f"{value / MiB:.1f} MiB"


@register.inclusion_tag("judge/_verdict_badge.html")
def verdict_badge(submission) -> dict:
    if submission.status != submission.Status.DONE:
        return {"status": submission.status, "verdict": "", "label": submission.get_status_display()}
    return {
        "status": submission.status,
        "verdict": submission.verdict,
        "label": submission.get_verdict_display(),
    }


@register.simple_tag(takes_context=True)
def submit_context(context, problem) -> dict:
    """Form (kept with its errors after a failed submit) and the user's recent submissions on `problem`."""
    user = context["request"].user
    return {
        "form": context.get("submit_form") or SubmissionForm(),
        "recent": submission_recent_for_problem(user=user, problem_id=problem.id),
    }


@register.simple_tag(takes_context=True)
def problem_marks(context) -> dict:
    return problem_marks_for_user(user=context["request"].user)


@register.simple_tag(takes_context=True)
def my_judge_stats(context) -> dict:
    return judge_stats_for_user(user=context["request"].user)
