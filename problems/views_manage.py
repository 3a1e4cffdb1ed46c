"""Instructor pages for writing problems: settings and statement, test data, deletion.

Every page reaches its problem through `problem_get_for_editor`, so anyone who is not staff of the
problem's course gets the same 404 as for a problem that does not exist.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat, pluralize
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import get_usage

from accounts.decorators import staff_required
from accounts.selectors import tenant_list_for_staff
from problems.archives import ArchiveError
from problems.forms import (
    ProblemForm,
    SampleMarkForm,
    StatementPreviewForm,
    TestCaseForm,
    TestGroupForm,
    TestsZipForm,
)
from problems.selectors import (
    problem_get_for_editor,
    problem_has_submissions,
    problem_list_for_manage,
    test_case_get,
    test_case_list,
    test_case_previews,
    test_data_stats,
    test_group_get,
    test_group_list,
)
from problems.services.authoring import (
    EDITABLE_FIELDS,
    problem_create,
    problem_delete,
    problem_make_draft,
    problem_update,
)
from problems.services.packages import problem_export_package
from problems.services.testdata import (
    ImportSummary,
    test_case_add,
    test_case_delete,
    test_case_update,
    test_cases_mark_samples,
    test_group_create,
    test_group_delete,
    test_group_update,
    tests_import_zip,
)
from problems.statements import statement_render


def _errors_into(form, exc: ValidationError) -> None:
    errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, field_errors in errors.items():
        form.add_error(field if field in form.fields else None, field_errors)


# ---------- problems ----------


@staff_required
def problem_list(request):
    return render(
        request, "problems/manage/list.html", {"problems": problem_list_for_manage(user=request.user)}
    )


@staff_required
def problem_new(request):
    initial = {"tenant": tenant_list_for_staff(user=request.user).first()}
    form = ProblemForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            problem = problem_create(**form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"Problem “{problem.title}” created. Now add its tests.")
            return redirect("manage:tests", code=problem.code)
    return _edit_page(request, form, None, tab="new")


@login_required
def problem_edit(request, code: str):
    problem = problem_get_for_editor(user=request.user, code=code)
    # The form changes its instance while it validates; the page header keeps showing the saved problem.
    editing = problem_get_for_editor(user=request.user, code=code)
    form = ProblemForm(request.POST or None, instance=editing, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name in EDITABLE_FIELDS}
        try:
            problem_update(problem=problem, **fields)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("manage:problem_edit", code=problem.code)
    return _edit_page(request, form, problem, tab="edit")


def _edit_page(request, form: ProblemForm, problem, *, tab: str):
    context = {
        "form": form,
        "problem": problem,
        "preview_html": statement_render(source=form["statement"].value() or ""),
        "tab": tab,
    }
    return render(request, "problems/manage/edit.html", context, status=400 if form.errors else 200)


@staff_required
@require_POST
def statement_preview(request):
    # Rendering a long statement takes a moment of the server's time: bound how often one user may ask.
    usage = get_usage(
        request, group="manage.preview", key="user", rate=settings.MANAGE_PREVIEW_RATE, increment=True
    )
    if usage and usage["should_limit"]:
        wait = max(1, int(usage["time_left"]))
        response = JsonResponse({"error": f"Too many previews; the next one in {wait} s."}, status=429)
        response["Retry-After"] = str(wait)
        return response
    form = StatementPreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "; ".join(form.errors["statement"])}, status=400)
    return JsonResponse({"html": statement_render(source=form.cleaned_data["statement"])})


@login_required
def problem_delete_confirm(request, code: str):
    problem = problem_get_for_editor(user=request.user, code=code)
    if request.method == "POST":
        try:
            problem_delete(problem=problem)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Problem {code} and its tests were deleted.")
            return redirect("manage:problem_list")
    context = {
        "problem": problem,
        "has_submissions": problem_has_submissions(problem=problem),
        "stats": test_data_stats(problem=problem),
        "tab": "delete",
    }
    return render(request, "problems/manage/delete.html", context)


@login_required
@require_GET
def problem_export(request, code: str):
    """The problem as a Kattis package: importing the zip (import_problem) gives the problem back."""
    problem = problem_get_for_editor(user=request.user, code=code)
    response = HttpResponse(problem_export_package(problem=problem), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{problem.code}.zip"'
    return response


@login_required
@require_POST
def problem_draft(request, code: str):
    problem = problem_make_draft(problem=problem_get_for_editor(user=request.user, code=code))
    messages.success(request, "The problem is now a draft: only the course's staff can see it.")
    return redirect("manage:problem_edit", code=problem.code)


# ---------- tests and groups ----------


def _tests_page(request, problem, *, status: int = 200, **forms):
    groups = list(test_group_list(problem=problem))
    tests = list(test_case_list(problem=problem))
    context = {
        "problem": problem,
        "tests": tests,
        "test_rows": test_case_previews(tests=tests),
        "groups": groups,
        "stats": test_data_stats(problem=problem),
        "points_total": sum(group.points for group in groups),
        "add_form": forms.get("add_form") or TestCaseForm(problem=problem),
        "group_form": forms.get("group_form") or TestGroupForm(problem=problem),
        "zip_form": forms.get("zip_form") or TestsZipForm(),
        "group_errors": forms.get("group_errors"),
        "tab": "tests",
    }
    return render(request, "problems/manage/tests.html", context, status=status)


@login_required
def tests_page(request, code: str):
    return _tests_page(request, problem_get_for_editor(user=request.user, code=code))


@login_required
@require_POST
def test_add(request, code: str):
    problem = problem_get_for_editor(user=request.user, code=code)
    form = TestCaseForm(request.POST, request.FILES, problem=problem)
    if form.is_valid():
        data = form.cleaned_data
        try:
            test = test_case_add(
                problem=problem,
                input_data=data["input_data"],
                answer_data=data["answer_data"],
                is_sample=data["is_sample"],
                group=data["group"],
                name=data["name"],
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"Added {test.name}.")
            return redirect("manage:tests", code=problem.code)
    return _tests_page(request, problem, status=400, add_form=form)


@login_required
def test_edit(request, code: str, test_id: int):
    problem = problem_get_for_editor(user=request.user, code=code)
    test = test_case_get(problem=problem, test_id=test_id)
    form = TestCaseForm(request.POST or None, request.FILES or None, problem=problem, test=test)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            test_case_update(
                test=test,
                name=data["name"],
                is_sample=data["is_sample"],
                group=data["group"],
                input_data=data["input_data"],
                answer_data=data["answer_data"],
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"Saved {test.name}.")
            return redirect("manage:tests", code=problem.code)
    context = {"problem": problem, "test": test, "form": form, "tab": "tests"}
    return render(request, "problems/manage/test_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def test_delete(request, code: str, test_id: int):
    problem = problem_get_for_editor(user=request.user, code=code)
    test = test_case_get(problem=problem, test_id=test_id)
    test_case_delete(test=test)
    messages.success(request, f"Deleted {test.name}.")
    return redirect("manage:tests", code=problem.code)


@login_required
@require_POST
def tests_mark_samples(request, code: str):
    problem = problem_get_for_editor(user=request.user, code=code)
    form = SampleMarkForm(request.POST, problem=problem)
    if not form.is_valid():
        messages.error(request, "Those tests are not this problem's; nothing was changed.")
        return redirect("manage:tests", code=problem.code)
    chosen = form.cleaned_data["samples"]
    changed = test_cases_mark_samples(problem=problem, sample_ids=[test.id for test in chosen])
    count = len(chosen)
    messages.success(
        request, f"{count} sample{pluralize(count)} now ({changed} test{pluralize(changed)} changed)."
    )
    return redirect("manage:tests", code=problem.code)


@login_required
def test_data(request, code: str, test_id: int, kind: str):
    if kind not in ("input", "answer"):
        raise Http404("No such file")
    problem = problem_get_for_editor(user=request.user, code=code)
    test = test_case_get(problem=problem, test_id=test_id)
    field = test.input_file if kind == "input" else test.answer_file
    suffix = "in" if kind == "input" else "ans"
    return FileResponse(
        field.open("rb"), filename=f"{problem.code}-{test.order}.{suffix}", content_type="text/plain"
    )


@login_required
@require_POST
def group_add(request, code: str):
    problem = problem_get_for_editor(user=request.user, code=code)
    form = TestGroupForm(request.POST, problem=problem)
    if form.is_valid():
        try:
            group = test_group_create(problem=problem, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"Added group “{group.name}”.")
            return redirect("manage:tests", code=problem.code)
    return _tests_page(request, problem, status=400, group_form=form)


@login_required
@require_POST
def group_edit(request, code: str, group_id: int):
    problem = problem_get_for_editor(user=request.user, code=code)
    group = test_group_get(problem=problem, group_id=group_id)
    form = TestGroupForm(request.POST, problem=problem, group=group)
    if form.is_valid():
        try:
            test_group_update(group=group, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"Saved group “{group.name}”.")
            return redirect("manage:tests", code=problem.code)
    errors = {"group_id": group.id, "messages": [e for errors in form.errors.values() for e in errors]}
    return _tests_page(request, problem, status=400, group_errors=errors)


@login_required
@require_POST
def group_delete(request, code: str, group_id: int):
    problem = problem_get_for_editor(user=request.user, code=code)
    group = test_group_get(problem=problem, group_id=group_id)
    test_group_delete(group=group)
    messages.success(request, f"Deleted group “{group.name}”; its tests are now in no group.")
    return redirect("manage:tests", code=problem.code)


@login_required
@require_POST
def tests_upload(request, code: str):
    problem = problem_get_for_editor(user=request.user, code=code)
    form = TestsZipForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            summary = tests_import_zip(
                problem=problem,
                archive=form.cleaned_data["archive"],
                replace=form.cleaned_data["mode"] == "replace",
            )
        except ArchiveError as exc:
            form.add_error("archive", f"Nothing was imported: {exc.message}.")
        else:
            messages.success(request, _import_summary_text(summary))
            return redirect("manage:tests", code=problem.code)
    return _tests_page(request, problem, status=400, zip_form=form)


def _import_summary_text(summary: ImportSummary) -> str:
    text = f"Imported {summary.tests} test{pluralize(summary.tests)}"
    if summary.samples:
        text += f" ({summary.samples} sample{pluralize(summary.samples)})"
    size = filesizeformat(summary.total_bytes)
    text += f" in {summary.groups} group{pluralize(summary.groups)}, {size} in total."
    if summary.removed:
        text += f" Removed the {summary.removed} previous test{pluralize(summary.removed)} first."
    return text
