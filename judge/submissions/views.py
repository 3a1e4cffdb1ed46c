from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from judge.audit.selectors import execution_trace_for
from judge.submissions import dispatch
from judge.submissions.errors import SubmissionRejected
from judge.submissions.filters import SubmissionFilterForm
from judge.submissions.forms import SubmissionForm
from judge.submissions.ratelimits import submit_rate_check
from judge.submissions.selectors import (
    group_scores_for,
    submission_contest_label,
    submission_get_for_user,
    submission_is_staff_viewer,
    submission_list_for_user_filtered,
    submission_recent_for_problem,
    submission_resubmit_initial,
    test_results_for,
)
from judge.submissions.services import submission_create
from judge.submissions.tryout import tryout_create, tryout_rate_check, tryout_result_get
from problems.selectors import problem_can_edit, problem_get_for_user, problem_sample_previews

UNREACHABLE = "The judge cannot be reached right now, so your submission was not saved. Try again soon."


@login_required
@require_POST
def submit(request, code: str):
    problem = problem_get_for_user(user=request.user, code=code)
    form = SubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            submit_rate_check(request)
            submission = submission_create(
                user=request.user,
                problem=problem,
                language=form.cleaned_data["language"],
                source=form.cleaned_data["source"],
            )
            return redirect("judge:submission_detail", submission_id=submission.id)
        except SubmissionRejected as exc:
            form.add_rejection(exc)
            status, retry_after = exc.status, exc.retry_after
        except dispatch.SERVICE_ERRORS:
            return _judge_unreachable(request, problem.code, form)
    else:
        status, retry_after = 400, None
    messages.error(request, "Your submission was not sent: see the errors below the editor.")
    response = problem_page(request, problem.code, form=form, status=status)  # with the form's errors kept
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@login_required
@require_POST
def run(request, code: str):
    """Queue a Run-box run (not judged); answers 202 with the URL to poll, or the reason as JSON."""
    problem = problem_get_for_user(user=request.user, code=code)
    form = SubmissionForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(m for ms in form.errors.values() for m in ms)}, status=400)
    sample = request.POST.get("sample", "custom")
    try:
        tryout_rate_check(request)
        token = tryout_create(
            user=request.user,
            problem=problem,
            language=form.cleaned_data["language"],
            source=form.cleaned_data["source"],
            sample=None if sample == "custom" else _int_or_zero(sample),
            stdin=request.POST.get("stdin", ""),
        )
    except SubmissionRejected as exc:
        return _json_error(exc.message, exc.status, exc.retry_after)
    except dispatch.SERVICE_ERRORS:
        return _json_error("The judge cannot be reached right now. Try again soon.", 503, 30)
    url = reverse("judge:run_result", args=[problem.code, token])
    return JsonResponse({"status": "pending", "url": url}, status=202)


@login_required
def run_result(request, code: str, token: str):
    problem_get_for_user(user=request.user, code=code)
    return JsonResponse(tryout_result_get(user=request.user, token=token))


def _int_or_zero(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _json_error(message: str, status: int, retry_after: int | None) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _judge_unreachable(request, code: str, form: SubmissionForm):
    """Redis (rate limits, heartbeats, the broker) is down: nothing was saved; say so, 503, not a 500."""
    form.add_rejection(SubmissionRejected(UNREACHABLE, status=503, retry_after=30))
    response = problem_page(request, code, form=form, status=503)
    response["Retry-After"] = "30"
    return response


def problem_page(request, code: str, *, form: SubmissionForm | None = None, status: int = 200):
    """A problem's statement and samples, the submit form and the user's recent submissions to it."""
    problem = problem_get_for_user(user=request.user, code=code)
    initial = submission_resubmit_initial(
        user=request.user, submission_id=request.GET.get("from"), problem_id=problem.id
    )
    context = {
        "problem": problem,
        "statement_html": problem.statement_html,
        "samples": problem_sample_previews(problem=problem),
        "can_edit": problem_can_edit(user=request.user, problem=problem),
        "submit_form": form or SubmissionForm(initial=initial),
        "recent": submission_recent_for_problem(user=request.user, problem_id=problem.id),
    }
    return render(request, "judge/problem.html", context, status=status)


@login_required
def submission_list(request):
    form = SubmissionFilterForm(request.GET, user=request.user)
    filters = form.filters()
    submissions = submission_list_for_user_filtered(user=request.user, **filters)
    page_obj = Paginator(submissions, 25).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "filter_form": form, "filtered": bool(filters)}
    context["page_query"] = urlencode(filters) + "&" if filters else ""
    return render(request, "judge/submission_list.html", context)


@login_required
def submission_detail(request, submission_id: int):
    submission = submission_get_for_user(user=request.user, submission_id=submission_id)
    is_staff = submission_is_staff_viewer(user=request.user, submission=submission)
    context = {
        "submission": submission,
        "results": test_results_for(submission=submission),
        "show_source": True,
        "is_staff": is_staff,
        "submission_label": submission_contest_label(submission=submission),
        "group_scores": group_scores_for(submission=submission),
        "came_from": "staff" if is_staff and request.GET.get("from") == "staff" else "",
        "trace": execution_trace_for(submission_id=submission.id) if is_staff else [],
    }
    return render(request, "judge/submission_detail.html", context)
