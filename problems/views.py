from django.shortcuts import render

from accounts.selectors import membership_list, user_is_instructor
from problems.selectors import (
    problem_can_edit,
    problem_get_for_user,
    problem_list_visible,
    problem_sample_previews,
    site_stats,
)


def home(request):
    context = {
        "problems": problem_list_visible(user=request.user)[:8],
        "tenants": membership_list(user=request.user) if request.user.is_authenticated else [],
        "stats": site_stats(user=request.user),
    }
    return render(request, "home.html", context)


def problem_list(request):
    context = {
        "problems": problem_list_visible(user=request.user),
        "can_author": user_is_instructor(user=request.user),
    }
    return render(request, "problems/list.html", context)


def problem_detail(request, code: str, extra: dict | None = None):
    """The problem page; other apps may add to its context (the judge adds a submit form with errors)."""
    problem = problem_get_for_user(user=request.user, code=code)
    context = {
        "problem": problem,
        "statement_html": problem.statement_html,
        "samples": problem_sample_previews(problem=problem),
        "can_edit": problem_can_edit(user=request.user, problem=problem),
        **(extra or {}),
    }
    return render(request, "problems/detail.html", context)
