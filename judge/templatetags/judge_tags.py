"""Template helpers of the judge app; the problem list uses `problem_marks` (solved, attempted)."""

from django import template

from judge.submissions.selectors import (
    judge_stats_for_user,
    problem_marks_for_user,
)
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
def problem_marks(context) -> dict:
    return problem_marks_for_user(user=context["request"].user)


@register.simple_tag(takes_context=True)
def my_judge_stats(context) -> dict:
    return judge_stats_for_user(user=context["request"].user)
