from django.shortcuts import render

from accounts.selectors import membership_list, user_is_instructor
from problems.selectors import (
    problem_can_edit,
    problem_get_for_user,
    problem_list_visible,
    problem_samples,
    site_stats,
)
from problems.statements import statement_render

SAMPLE_PREVIEW_BYTES = 64 * 1024


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
    samples = [
        {
            "index": index,
            "input": test.read_input()[:SAMPLE_PREVIEW_BYTES].decode(errors="replace"),
            "answer": test.read_answer()[:SAMPLE_PREVIEW_BYTES].decode(errors="replace"),
        }
        for index, test in enumerate(problem_samples(problem=problem), start=1)
    ]
    context = {
        "problem": problem,
        "statement_html": statement_render(source=problem.statement),
        "samples": samples,
        "can_edit": problem_can_edit(user=request.user, problem=problem),
        **(extra or {}),
    }
    return render(request, "problems/detail.html", context)
