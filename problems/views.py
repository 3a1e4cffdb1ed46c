from django.shortcuts import render

from accounts.selectors import membership_list, user_is_instructor
from problems.selectors import problem_list_visible, site_stats


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
