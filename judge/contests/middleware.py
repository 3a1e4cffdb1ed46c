"""Where the contest lockdown is applied: every HTTP request (pages and the API) and every socket."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from judge.contests.lockdown import Lockdown, contest_lockdown_for_user, lockdown_allows_path

API_PREFIX = "/api/"
HOME_PATH = "/"
LOCKED_STATUS = 403


def lockdown_message(lockdown: Lockdown) -> str:
    ends = timezone.localtime(lockdown.ends_at).strftime("%H:%M %Z")
    title = lockdown.contest.title
    return f"Contest {title} is running: until it ends at {ends} you can reach only its problems."


class ContestLockdownMiddleware:
    """Answers a locked participant's request for anything outside their contest with a clear refusal.
    `request.contest_lockdown` holds the decision, computed at most once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        lockdown = request.contest_lockdown = contest_lockdown_for_user(user=user)
        if lockdown is None or lockdown_allows_path(lockdown=lockdown, user=user, path=request.path_info):
            return self.get_response(request)
        if request.path_info == HOME_PATH:  # where logging in lands: straight on to the contest
            return redirect("contests:detail", slug=lockdown.contest.slug)
        return _refusal(request, lockdown)


def _user(request: HttpRequest):
    """The session's user, or for the API the user of a valid token (DRF checks it again in the view)."""
    if request.user.is_authenticated or not request.path_info.startswith(API_PREFIX):
        return request.user
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        found = None  # the view answers 401 itself
    return found[0] if found else request.user


def _refusal(request: HttpRequest, lockdown: Lockdown) -> HttpResponse:
    contest_url = reverse("contests:detail", kwargs={"slug": lockdown.contest.slug})
    if request.path_info.startswith(API_PREFIX):
        body = {
            "detail": lockdown_message(lockdown),
            "contest": lockdown.contest.slug,
            "contest_url": request.build_absolute_uri(contest_url),
            "ends_at": lockdown.ends_at.isoformat(),
        }
        return JsonResponse(body, status=LOCKED_STATUS)
    context = {"lockdown": lockdown, "contest_url": contest_url}
    response = render(request, "judge/contests/locked.html", context, status=LOCKED_STATUS)
    response["Cache-Control"] = "no-store"
    return response


def lockdown_socket_allows(*, scope: dict) -> bool:
    """The socket side of the same rule; the socket base class asks it on connect and on every recheck."""
    user = scope["user"]
    lockdown = contest_lockdown_for_user(user=user)
    return lockdown is None or lockdown_allows_path(lockdown=lockdown, user=user, path=scope["path"])
