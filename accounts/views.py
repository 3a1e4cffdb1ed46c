from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.forms import JoinTenantForm, SignupForm
from accounts.selectors import membership_list, token_get
from accounts.services import membership_join_by_code, user_create
from accounts.services import token_rotate as token_rotate_service


def signup(request):
    if request.user.is_authenticated:
        return redirect("problems:list")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_create(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}! Pick a problem to start.")
        return redirect("problems:list")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request, join_form=None):
    context = {
        "memberships": membership_list(user=request.user),
        "join_form": join_form or JoinTenantForm(),
        "api_token": token_get(user=request.user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def join_tenant(request):
    form = JoinTenantForm(request.POST)
    if form.is_valid():
        membership = membership_join_by_code(user=request.user, code=form.cleaned_data["code"])
        if membership is not None:
            messages.success(request, f"You joined {membership.tenant.name}.")
            return redirect("accounts:profile")
        form.add_error("code", "No course or club has this join code.")
    return profile(request, join_form=form)


@login_required
@require_POST
def token_rotate(request):
    had_token = token_get(user=request.user) is not None
    token_rotate_service(user=request.user)
    note = " The old one no longer works." if had_token else ""
    messages.success(request, f"A new API token was created.{note}")
    return redirect("accounts:profile")
