from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from judge.errors import SubmissionRejected
from judge.forms import SubmissionForm
from judge.ratelimits import submit_rate_check
from judge.selectors import (
    group_scores_for,
    submission_get_for_user,
    submission_is_staff_viewer,
    submission_list_for_user,
    test_results_for,
)
from judge.selectors_contests import contest_label_for
from judge.services.submissions import submission_create
from problems.selectors import problem_get_for_user


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
                problem_code=problem.code,
                language=form.cleaned_data["language"],
                source=form.cleaned_data["source"],
            )
            return redirect("judge:submission_detail", submission_id=submission.id)
        except SubmissionRejected as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            status = exc.status
    else:
        status = 400
    messages.error(request, "Your submission was not sent: see the errors below the editor.")
    return _problem_page_with_form(request, problem.code, form, status)


def _problem_page_with_form(request, code: str, form: SubmissionForm, status: int):
    from problems.views import problem_detail  # the same page, with this form and its errors kept

    response = problem_detail(request, code, extra={"submit_form": form})
    response.status_code = status
    return response


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
        "submission_label": contest_label_for(submission=submission),
        "group_scores": group_scores_for(submission=submission),
    }
    return render(request, "judge/submission_detail.html", context)
