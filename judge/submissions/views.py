from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from judge.submissions.errors import SubmissionRejected
from judge.submissions.forms import SubmissionForm
from judge.submissions.ratelimits import submit_rate_check
from judge.submissions.selectors import (
    group_scores_for,
    submission_contest_label,
    submission_get_for_user,
    submission_is_staff_viewer,
    submission_list_for_user,
    submission_recent_for_problem,
    test_results_for,
)
from judge.submissions.services import submission_create
from problems.selectors import problem_can_edit, problem_get_for_user, problem_sample_previews


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
            status = exc.status
    else:
        status = 400
    messages.error(request, "Your submission was not sent: see the errors below the editor.")
    return problem_page(request, problem.code, form=form, status=status)  # with the form's errors kept


def problem_page(request, code: str, *, form: SubmissionForm | None = None, status: int = 200):
    """A problem's statement and samples, the submit form and the user's recent submissions to it."""
    problem = problem_get_for_user(user=request.user, code=code)
    context = {
        "problem": problem,
        "statement_html": problem.statement_html,
        "samples": problem_sample_previews(problem=problem),
        "can_edit": problem_can_edit(user=request.user, problem=problem),
        "submit_form": form or SubmissionForm(),
        "recent": submission_recent_for_problem(user=request.user, problem_id=problem.id),
    }
    return render(request, "judge/problem.html", context, status=status)


@login_required
def submission_list(request):
    paginator = Paginator(submission_list_for_user(user=request.user), 25)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(request, "judge/submission_list.html", {"page_obj": page_obj})


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
    }
    return render(request, "judge/submission_detail.html", context)
