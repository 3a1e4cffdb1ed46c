"""The contest staff's page of Contest API tokens: make one (its key is shown once), revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from judge.ccs import services
from judge.ccs.forms import ApiTokenForm
from judge.contests.selectors import contest_get_for_user, contest_is_staff, contest_page_context


def _staff_contest(request, slug: str):
    contest = contest_get_for_user(user=request.user, slug=slug)
    if not contest_is_staff(user=request.user, contest=contest):
        raise PermissionDenied("Only staff of the course, school or club manage this contest.")
    return contest


@login_required
def api_tokens(request, slug: str):
    contest = _staff_contest(request, slug)
    form, key, status = ApiTokenForm(request.POST or None), None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _, key = services.api_token_create(
                    user=request.user,
                    contest=contest,
                    role=form.cleaned_data["role"],
                    label=form.cleaned_data["label"],
                    team_username=form.cleaned_data["team"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form, status = ApiTokenForm(), 201
    context = {
        **contest_page_context(user=request.user, contest=contest, tab="api"),
        "form": form,
        "key": key,
        "tokens": contest.api_tokens.select_related("team", "created_by"),
        "api_url": request.build_absolute_uri(reverse("api:ccs_contest", args=[contest.slug])),
    }
    return render(request, "judge/ccs/api_tokens.html", context, status=status)


@login_required
@require_POST
def api_token_revoke(request, slug: str, token_id: int):
    contest = _staff_contest(request, slug)
    services.api_token_revoke(user=request.user, contest=contest, token_id=token_id)
    messages.success(request, "Token revoked: it no longer opens the API.")
    return redirect("contests_api:api_tokens", slug=contest.slug)
