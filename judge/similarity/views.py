"""Similarity pages: start a check for a problem or a contest, watch its progress, read a pair."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from accounts.selectors import tenant_ids_for_staff
from judge.contests.models import Contest
from judge.contests.selectors import contest_get_for_user, contest_is_staff
from judge.similarity.selectors import (
    MAX_SOURCE_CHARS,
    MAX_SUBMISSIONS,
    similarity_check_get_for_user,
    similarity_check_list_for_user,
    similarity_pair_rows,
    similarity_pair_view,
)
from judge.similarity.services import REPORT_SCORE, similarity_check_start
from problems.selectors import problem_get_for_editor, problem_list_editable


@staff_required
def check_list(request):
    context = {
        "checks": similarity_check_list_for_user(user=request.user),
        "problems": problem_list_editable(user=request.user).order_by("code"),
        "contests": Contest.objects.filter(tenant_id__in=tenant_ids_for_staff(user=request.user)),
        "max_submissions": MAX_SUBMISSIONS,
        "max_source_kib": MAX_SOURCE_CHARS // 1024,
        "report_percent": round(REPORT_SCORE * 100),
    }
    return render(request, "judge/similarity/list.html", context)


def _subject(request) -> dict:
    """The problem or contest named by the form, if this user is its staff; else a 404."""
    if code := request.POST.get("problem", ""):
        return {"problem": problem_get_for_editor(user=request.user, code=code)}
    contest = contest_get_for_user(user=request.user, slug=request.POST.get("contest", ""))
    if not contest_is_staff(user=request.user, contest=contest):
        raise Http404("No such contest")
    return {"contest": contest}


@login_required
@require_POST
def check_start(request):
    check = similarity_check_start(user=request.user, **_subject(request))
    return redirect("similarity:detail", check_id=check.id)


@login_required
def check_detail(request, check_id: int):
    check = similarity_check_get_for_user(user=request.user, check_id=check_id)
    return render(
        request, "judge/similarity/detail.html", {"check": check, "rows": similarity_pair_rows(check=check)}
    )


@login_required
def check_status(request, check_id: int):
    check = similarity_check_get_for_user(user=request.user, check_id=check_id)
    body = {
        "status": check.status,
        "progress": round(check.progress, 3),
        "pairs_done": check.pairs_done,
        "pairs_total": check.pairs_total,
        "finished": check.is_finished,
    }
    return JsonResponse(body)


@login_required
def pair_detail(request, check_id: int, a_id: int, b_id: int):
    check = similarity_check_get_for_user(user=request.user, check_id=check_id)
    view = similarity_pair_view(check=check, a_id=a_id, b_id=b_id)
    return render(request, "judge/similarity/pair.html", {"check": check, "view": view})
