from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.forms import JoinTenantForm, SignupForm
from accounts.ratelimits import (
    join_code_failure_record,
    join_code_rate_check,
    signup_rate_check,
    signup_record,
)
from accounts.selectors import login_lockout_ends_at, membership_list, token_get
from accounts.services import membership_join_by_code, user_create
from accounts.services import token_rotate as token_rotate_service


def signup(request):
    if request.user.is_authenticated:
        return redirect("problems:list")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and (limited := signup_rate_check(request)) is not None:
        form.is_valid()
        form.add_error(
            None,
            "Too many new accounts were made from your network in the last hour. "
            f"Try again in {limited.wait_text}, or ask your instructor.",
        )
        response = render(request, "accounts/signup.html", {"form": form}, status=429)
        response["Retry-After"] = str(limited.wait_seconds)
        return response
    if request.method == "POST" and form.is_valid():
        signup_record(request)
        user = user_create(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, f"Welcome, {user.username}! Got a join code from your instructor? Enter it below."
        )
        return redirect("problems:list")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request, join_form=None, status: int = 200):
    context = {
        "memberships": membership_list(user=request.user),
        "join_form": join_form or JoinTenantForm(),
        "api_token": token_get(user=request.user),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_POST
def join_tenant(request):
    form = JoinTenantForm(request.POST)
    if (limited := join_code_rate_check(request)) is not None:
        form.is_valid()
        form.add_error(None, f"Too many wrong join codes. Try again in {limited.wait_text}.")
        response = profile(request, join_form=form, status=429)
        response["Retry-After"] = str(limited.wait_seconds)
        return response
    if form.is_valid():
        membership = membership_join_by_code(user=request.user, code=form.cleaned_data["code"])
        if membership is not None:
            messages.success(request, f"You joined {membership.tenant.name}.")
            return redirect(_safe_next(request) or "accounts:profile")
        join_code_failure_record(request)
        form.add_error("code", "No course or club has this join code.")
    return profile(request, join_form=form)


def _safe_next(request) -> str | None:
    """The page a join form was posted from (the problem list, the home page), if it is on this site."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if target and allowed else None


def login_locked_out(request, *args, **kwargs):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE). Axes passes (response, credentials) in a different
    order under ASGI than under WSGI, so everything is read from the request it annotated."""
    ends_at = login_lockout_ends_at(request=request)
    wait = max(60, int((ends_at - timezone.now()).total_seconds())) if ends_at else None
    context = {"ends_at": ends_at, "wait_minutes": -(-wait // 60) if wait else None}
    response = render(request, "accounts/locked.html", context, status=429)
    if wait:
        response["Retry-After"] = str(wait)
    return response


@login_required
@require_POST
def token_rotate(request):
    had_token = token_get(user=request.user) is not None
    token_rotate_service(user=request.user)
    note = " The old one no longer works." if had_token else ""
    messages.success(request, f"A new API token was created.{note}")
    return redirect("accounts:profile")
