"""Contest pages: thin views over the contest selectors, services and clarifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.selectors import tenant_list_for_staff
from judge.contests import boards
from judge.contests import clarifications as clarification_services
from judge.contests import services as contest_services
from judge.contests.forms import ClarificationAnswerForm, ClarificationAskForm, ContestForm
from judge.contests.selectors import (
    clarification_get_for_staff,
    contest_get_for_user,
    contest_is_participant,
    contest_is_staff,
    contest_list_for_user,
    contest_page_context,
    contest_problem_get,
    contest_problem_marks,
    contest_problems,
    contest_problems_open,
    contest_submissions_for_user,
    contest_submit_refusal,
)
from judge.submissions.errors import SubmissionRejected
from judge.submissions.forms import SubmissionForm
from judge.submissions.ratelimits import submit_rate_check
from judge.submissions.selectors import submission_resubmit_initial
from problems.selectors import problem_list_editable, problem_sample_previews


def _form_errors(form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages_ in errors.items():
        form.add_error(field if field in form.fields else None, messages_)


def _page(request, contest, tab: str, **extra) -> dict:
    """What every contest page shows around its content: header, clock, tabs."""
    return {**contest_page_context(user=request.user, contest=contest, tab=tab), **extra}


def _staff_contest(request, slug: str):
    contest = contest_get_for_user(user=request.user, slug=slug)
    if not contest_is_staff(user=request.user, contest=contest):
        raise PermissionDenied("Only staff of the course, school or club manage this contest.")
    return contest


@login_required
def contest_list(request):
    context = {
        "groups": contest_list_for_user(user=request.user),
        "can_create": tenant_list_for_staff(user=request.user).exists(),
    }
    return render(request, "judge/contests/list.html", context)


def _form_fields(form: ContestForm) -> dict:
    fields = {name: form.cleaned_data[name] for name in contest_services.CONTEST_FIELDS}
    fields["window_minutes"] = fields["window_minutes"] if fields["timing"] == "window" else None
    return {**fields, "problems": form.cleaned_data["problems"], "invitees": form.cleaned_data["invitees"]}


@login_required
def contest_create(request):
    tenants = tenant_list_for_staff(user=request.user)
    if not tenants.exists():
        raise PermissionDenied("Only staff of a course or club create contests.")
    form = ContestForm(
        request.POST or None,
        tenants=tenants,
        initial=ContestForm.initial_for_new(),
        problem_choices=_picker_problems(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            contest = contest_services.contest_create(
                user=request.user, tenant=form.cleaned_data["tenant"], **_form_fields(form)
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Contest “{contest.title}” created.")
            return redirect("contests:detail", slug=contest.slug)
    return render(request, "judge/contests/form.html", {"form": form, "contest": None})


def _picker_problems(user):
    return problem_list_editable(user=user).order_by("code")


@login_required
def contest_edit(request, slug: str):
    contest = _staff_contest(request, slug)
    tenants = tenant_list_for_staff(user=request.user)
    form = ContestForm(
        request.POST or None,
        tenants=tenants,
        editing=True,
        initial=ContestForm.initial_for(contest),
        problem_choices=_picker_problems(request.user).filter(tenant_id=contest.tenant_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            contest_services.contest_update(user=request.user, contest=contest, **_form_fields(form))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Contest saved.")
            return redirect("contests:detail", slug=contest.slug)
    return render(request, "judge/contests/form.html", _page(request, contest, "edit", form=form))


@login_required
def contest_detail(request, slug: str):
    contest = contest_get_for_user(user=request.user, slug=slug)
    is_open = contest_problems_open(user=request.user, contest=contest)
    marks = contest_problem_marks(user=request.user, contest=contest)
    entries = contest_problems(contest=contest) if is_open else []
    context = _page(
        request,
        contest,
        "overview",
        problem_rows=[(entry, marks.get(entry.problem_id)) for entry in entries],
        problems_open=is_open,
        description_html=contest.description_html,
    )
    return render(request, "judge/contests/detail.html", context)


@login_required
@require_POST
def contest_start(request, slug: str):
    contest = contest_get_for_user(user=request.user, slug=slug)
    try:
        contest_services.contest_window_start(user=request.user, contest=contest)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Your {contest.window_minutes} minutes have started. Good luck!")
    return redirect("contests:detail", slug=contest.slug)


@login_required
def contest_problem(request, slug: str, label: str, form: SubmissionForm | None = None, status: int = 200):
    contest = contest_get_for_user(user=request.user, slug=slug)
    entry = contest_problem_get(user=request.user, contest=contest, label=label)
    own = contest_submissions_for_user(
        user=request.user, contest=contest, own=True, problem_id=entry.problem_id
    )
    initial = submission_resubmit_initial(
        user=request.user, submission_id=request.GET.get("from"), problem_id=entry.problem_id
    )
    context = _page(
        request,
        contest,
        "problems",
        entry=entry,
        problem=entry.problem,
        statement_html=entry.problem.statement_html,
        samples=problem_sample_previews(problem=entry.problem),
        form=form or SubmissionForm(languages=contest.languages, initial=initial),
        recent=own[:10],
        submit_refusal=contest_submit_refusal(user=request.user, contest=contest),
        problems=contest_problems(contest=contest),
    )
    return render(request, "judge/contests/problem.html", context, status=status)


@login_required
@require_POST
def contest_submit(request, slug: str, label: str):
    contest = contest_get_for_user(user=request.user, slug=slug)
    entry = contest_problem_get(user=request.user, contest=contest, label=label)
    form = SubmissionForm(request.POST, request.FILES, languages=contest.languages)
    status = 400
    if form.is_valid():
        try:
            submit_rate_check(request)
            submission = contest_services.contest_submission_create(
                user=request.user,
                contest=contest,
                problem_code=entry.problem.code,
                language=form.cleaned_data["language"],
                source=form.cleaned_data["source"],
            )
            return redirect("judge:submission_detail", submission_id=submission.id)
        except SubmissionRejected as exc:
            form.add_rejection(exc)
            status = exc.status
    messages.error(request, "Your submission was not sent: see the errors below the editor.")
    return contest_problem(request, slug, label, form=form, status=status)


@login_required
def contest_scoreboard(request, slug: str):
    contest = contest_get_for_user(user=request.user, slug=slug)
    is_staff = contest_is_staff(user=request.user, contest=contest)
    context = _page(
        request,
        contest,
        "scoreboard",
        board_html=boards.board_page_html(contest=contest, live=is_staff),
        frozen_now=contest.is_frozen(now=timezone.now()),
        can_unfreeze=is_staff and contest.freeze_minutes and not contest.unfrozen_at,
    )
    return render(request, "judge/contests/scoreboard.html", context)


@login_required
def contest_submissions(request, slug: str):
    contest = contest_get_for_user(user=request.user, slug=slug)
    submissions = contest_submissions_for_user(user=request.user, contest=contest)
    return render(
        request,
        "judge/contests/submissions.html",
        _page(request, contest, "submissions", submissions=submissions),
    )


@login_required
def contest_clarifications(
    request, slug: str, ask_form: ClarificationAskForm | None = None, status: int = 200
):
    contest = contest_get_for_user(user=request.user, slug=slug)
    labels = [entry.label for entry in contest_problems(contest=contest)]
    can_ask = (
        contest_is_participant(user=request.user, contest=contest) and timezone.now() >= contest.start_at
    )
    context = _page(
        request,
        contest,
        "clarifications",
        clarifications=clarification_services.clarification_list_for_page(user=request.user, contest=contest),
        ask_form=ask_form or ClarificationAskForm(labels=labels),
        announce_form=ClarificationAskForm(labels=labels, auto_id="announce-%s"),
        can_ask=can_ask,
        answer_form=ClarificationAnswerForm(),
    )
    return render(request, "judge/contests/clarifications.html", context, status=status)


@login_required
@require_POST
def clarification_ask(request, slug: str):
    contest = contest_get_for_user(user=request.user, slug=slug)
    labels = [entry.label for entry in contest_problems(contest=contest)]
    form = ClarificationAskForm(request.POST, labels=labels)
    if form.is_valid():
        try:
            clarification_services.clarification_ask(
                user=request.user,
                contest=contest,
                label=form.cleaned_data["problem"],
                question=form.cleaned_data["question"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Your question was sent. The answer will show up here.")
            return redirect("contests:clarifications", slug=contest.slug)
    return contest_clarifications(request, slug, ask_form=form, status=400)


@login_required
@require_POST
def clarification_answer(request, slug: str, clarification_id: int):
    contest = contest_get_for_user(user=request.user, slug=slug)
    clarification = clarification_get_for_staff(
        user=request.user, contest=contest, clarification_id=clarification_id
    )
    form = ClarificationAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write an answer first.")
    else:
        clarification_services.clarification_answer(
            user=request.user,
            clarification=clarification,
            answer=form.cleaned_data["answer"],
            public=form.cleaned_data["public"],
        )
        messages.success(request, "Answer sent" + (" to everyone." if form.cleaned_data["public"] else "."))
    return redirect("contests:clarifications", slug=contest.slug)


@login_required
@require_POST
def clarification_announce(request, slug: str):
    contest = _staff_contest(request, slug)
    labels = [entry.label for entry in contest_problems(contest=contest)]
    about = ClarificationAskForm(request.POST, labels=labels)  # the title is its question, the text an answer
    text = ClarificationAnswerForm(request.POST)
    if not (about.is_valid() and text.is_valid()):
        messages.error(request, "Write a title and the announcement first.")
        return redirect("contests:clarifications", slug=contest.slug)
    try:
        clarification_services.clarification_announce(
            user=request.user,
            contest=contest,
            label=about.cleaned_data["problem"],
            title=about.cleaned_data["question"],
            text=text.cleaned_data["answer"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Announcement posted to everyone in the contest.")
    return redirect("contests:clarifications", slug=contest.slug)


@login_required
@require_POST
def contest_unfreeze(request, slug: str):
    contest = _staff_contest(request, slug)
    try:
        contest_services.contest_unfreeze(user=request.user, contest=contest)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The final scoreboard is now visible to everyone.")
    return redirect("contests:scoreboard", slug=contest.slug)


@login_required
@require_POST
def contest_rejudge(request, slug: str):
    contest = _staff_contest(request, slug)
    count = contest_services.contest_rejudge(user=request.user, contest=contest)
    messages.success(request, f"{count} submission{'s' if count != 1 else ''} queued for rejudging.")
    return redirect("contests:submissions", slug=contest.slug)
