"""The contest header on pages of other features (a contest submission's page): submissions may not import
judge.contests, so the template asks for it here."""

from django import template

from judge.contests.selectors import contest_page_context

register = template.Library()


@register.inclusion_tag("judge/contests/_head.html", takes_context=True)
def contest_header(context, contest, tab: str = "submissions") -> dict:
    user = context["user"]
    return {"user": user, **contest_page_context(user=user, contest=contest, tab=tab)}
