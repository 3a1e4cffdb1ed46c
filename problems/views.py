from django.shortcuts import render

from accounts.forms import JoinTenantForm
from accounts.selectors import membership_list, tenant_ids_for_member, user_is_instructor
from problems.forms import ProblemSearchForm
from problems.selectors import (
    problem_list_visible,
    problem_search_visible,
    problem_tags_visible,
    site_stats,
)


def home(request):
    context = {
        "problems": problem_list_visible(user=request.user)[:8],
        "tenants": membership_list(user=request.user) if request.user.is_authenticated else [],
        "stats": site_stats(user=request.user),
        "join_form": JoinTenantForm(),
    }
    return render(request, "home.html", context)


def problem_list(request):
    search = ProblemSearchForm(request.GET, tags=problem_tags_visible(user=request.user))
    filters = search.filters()
    context = {
        "search": search,
        "filters": filters,
        "filtered": any(filters.values()),
        "problems": problem_search_visible(
            user=request.user, query=filters["q"], tag=filters["tag"], difficulty=filters["difficulty"]
        ),
        "can_author": user_is_instructor(user=request.user),
        "join_form": _join_form_if_no_course(request.user),
    }
    return render(request, "problems/list.html", context, status=400 if search.errors else 200)


def _join_form_if_no_course(user) -> JoinTenantForm | None:
    # A new account's next step: join a course with its code, offered on the page sign-up lands on.
    if user.is_authenticated and not tenant_ids_for_member(user=user):
        return JoinTenantForm()
    return None
