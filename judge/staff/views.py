"""Staff pages: validate a problem with its reference solutions, rejudge, see what changed, list all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_slug
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import staff_required
from accounts.roster import MAX_ROWS, RosterError
from accounts.selectors import tenant_ids_for_staff
from judge.staff.forms import ReferenceSolutionForm, RosterImportForm, StaffSubmissionFilterForm
from judge.staff.roster import roster_import, roster_result_csv, roster_target_get, roster_targets_for_user
from judge.staff.selectors import (
    problem_list_rejudged,
    problem_validation_report,
    reference_solution_get,
    rejudge_counts,
    rejudge_summary,
    submission_get_for_staff,
    submission_list_for_staff_filtered,
    submission_list_rejudged,
    submission_list_to_rejudge,
)
from judge.staff.services import (
    problem_time_limit_apply,
    problem_validate,
    reference_solution_create,
    reference_solution_delete,
    reference_solution_update,
)
from judge.submissions.services import (
    submission_rejudge,
    submission_rejudge_many,
    submission_requeue_by_staff,
)
from problems.selectors import problem_get_for_editor, problem_list_editable

PAGE_SIZE = 50


def _tenant_sockets(user, submissions) -> str:
    """Live-update sockets for the user's tenants that the page's submissions are charged to or made to
    (practice by outsiders is charged to the public pool, whose socket staff of a school may not open)."""
    shown = {s.tenant_id for s in submissions} | {s.problem.tenant_id for s in submissions}
    mine = sorted(shown & tenant_ids_for_staff(user=user))
    return " ".join(f"/ws/staff/tenants/{tid}/" for tid in mine)


def _validate_page(request, problem, *, form: ReferenceSolutionForm, status: int = 200):
    context = {"problem": problem, "report": problem_validation_report(problem=problem), "form": form}
    return render(request, "judge/staff/validate.html", context, status=status)


@login_required
def validate(request, code: str):
    problem = problem_get_for_editor(user=request.user, code=code)
    return _validate_page(request, problem, form=ReferenceSolutionForm())


@login_required
@require_POST
def validate_run(request, code: str):
    problem = problem_get_for_editor(user=request.user, code=code)
    runs = problem_validate(problem=problem, user=request.user)
    if runs:
        messages.success(request, f"Queued {len(runs)} reference run{'s' if len(runs) != 1 else ''}.")
    else:
        messages.warning(request, "There is no reference solution in a language this judge runs.")
    return redirect("staff:validate", code=problem.code)


@login_required
@require_POST
def reference_solution_add(request, code: str):
    problem = problem_get_for_editor(user=request.user, code=code)
    form = ReferenceSolutionForm(request.POST)
    if form.is_valid():
        try:
            solution = reference_solution_create(problem=problem, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Added {solution.name}; run all to judge it.")
            return redirect("staff:validate", code=problem.code)
    return _validate_page(request, problem, form=form, status=400)


@login_required
@require_POST
def time_limit_apply(request, code: str):
    problem = problem_get_for_editor(user=request.user, code=code)
    suggestion = problem_time_limit_apply(problem=problem, user=request.user)
    if suggestion is None:
        messages.warning(request, "There is no suggested time limit yet: run the accepted solutions first.")
    else:
        messages.success(
            request,
            f"The time limit is now {suggestion.seconds:g} s; the reference solutions run again under it.",
        )
    return redirect("staff:validate", code=problem.code)


@login_required
@require_http_methods(["GET", "POST"])
def reference_solution_edit(request, code: str, solution_id: int):
    problem = problem_get_for_editor(user=request.user, code=code)
    solution = reference_solution_get(problem=problem, solution_id=solution_id)
    fields = ("name", "language", "expected", "source")
    form = ReferenceSolutionForm(request.POST or None, initial={f: getattr(solution, f) for f in fields})
    if form.is_valid():
        try:
            reference_solution_update(solution=solution, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Saved {solution.name}; run all to judge it again.")
            return redirect("staff:validate", code=problem.code)
    context = {"problem": problem, "solution": solution, "form": form}
    return render(request, "judge/staff/reference_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def reference_solution_remove(request, code: str, solution_id: int):
    problem = problem_get_for_editor(user=request.user, code=code)
    solution = reference_solution_get(problem=problem, solution_id=solution_id)
    reference_solution_delete(solution=solution, user=request.user)
    messages.success(request, f"Deleted {solution.name}.")
    return redirect("staff:validate", code=problem.code)


@login_required
@require_http_methods(["GET", "POST"])
def problem_rejudge(request, code: str):
    """GET asks for confirmation (with the count); POST rejudges."""
    problem = problem_get_for_editor(user=request.user, code=code)
    submissions = submission_list_to_rejudge(problem=problem)
    if request.method == "POST":
        count = submission_rejudge_many(submissions=submissions)
        messages.success(request, f"{count} submission{'s' if count != 1 else ''} queued for rejudging.")
        return redirect(f"{reverse('staff:rejudge_list')}?problem={problem.code}")
    context = {"problem": problem, **rejudge_counts(submissions=submissions)}
    return render(request, "judge/staff/rejudge_confirm.html", context)


@login_required
@require_POST
def submission_rejudge_one(request, submission_id: int):
    submission = submission_get_for_staff(user=request.user, submission_id=submission_id)
    if submission.is_finished:
        submission_rejudge(submission=submission)
        messages.success(request, f"Submission #{submission.id} is queued for rejudging.")
    else:  # waiting or stuck: judge it from scratch, keeping its place (its message may have been lost)
        submission_requeue_by_staff(submission=submission)
        messages.success(request, f"Submission #{submission.id} is queued again.")
    return redirect("judge:submission_detail", submission_id=submission.id)


def _problem_filter(value: str) -> str:
    """A problem code to filter by; anything that cannot be a code (a NUL byte, a space) filters nothing."""
    try:
        validate_slug(value)
    except ValidationError:
        return ""
    return value


@staff_required
def rejudge_list(request):
    problem_code = _problem_filter(request.GET.get("problem", ""))
    changed_only = request.GET.get("changed") == "1"
    rejudged = submission_list_rejudged(
        user=request.user, problem_code=problem_code, changed_only=changed_only
    )
    page_obj = Paginator(rejudged, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "summary": rejudge_summary(
            submissions=submission_list_rejudged(user=request.user, problem_code=problem_code)
        ),
        "problems": problem_list_rejudged(user=request.user),
        "problem_code": problem_code,
        "changed_only": changed_only,
        "sockets": _tenant_sockets(request.user, page_obj),
    }
    return render(request, "judge/staff/rejudge_list.html", context)


@staff_required
def submission_list(request):
    form = StaffSubmissionFilterForm(
        request.GET, problems=problem_list_editable(user=request.user).order_by("code")
    )
    submissions = submission_list_for_staff_filtered(user=request.user, **form.filters())
    page_obj = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj, "sockets": _tenant_sockets(request.user, page_obj)}
    return render(request, "judge/staff/submission_list.html", context)


@staff_required
def roster_upload(request):
    """Upload a roster CSV; the result (with the new passwords) is this response only, never stored."""
    form = RosterImportForm(
        request.POST or None, request.FILES or None, targets=roster_targets_for_user(user=request.user)
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        target = roster_target_get(user=request.user, key=form.cleaned_data["target"])
        try:
            accounts = roster_import(
                target=target,
                data=form.cleaned_data["file"].read(),
                reset_passwords=form.cleaned_data["reset_passwords"],
            )
        except RosterError as exc:
            errors = exc.errors
        else:
            return _roster_result(request, target, accounts, as_csv=form.cleaned_data["output"] == "csv")
    status = 400 if form.errors or errors else 200
    context = {"form": form, "errors": errors, "max_rows": MAX_ROWS}
    return render(request, "judge/staff/roster_upload.html", context, status=status)


def _roster_result(request, target, accounts, *, as_csv: bool) -> HttpResponse:
    if as_csv:
        response = HttpResponse(roster_result_csv(accounts=accounts), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="accounts.csv"'
    else:
        login_url = request.build_absolute_uri(reverse("accounts:login"))
        context = {"target": target, "accounts": accounts, "login_url": login_url}
        response = render(request, "judge/staff/roster_result.html", context)
    response["Cache-Control"] = "no-store"  # the passwords are in it
    return response
