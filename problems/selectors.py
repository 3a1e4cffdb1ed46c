import json
from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from accounts.selectors import tenant_ids_for_member, tenant_ids_for_staff
from problems.models import Problem, TestCase, TestGroup


def _visible_filter(*, user: User) -> Q:
    if user.is_authenticated and user.is_superuser:
        return Q()
    visible = Q(visibility=Problem.Visibility.PUBLIC)
    if user.is_authenticated:
        visible |= Q(visibility=Problem.Visibility.TENANT, tenant_id__in=tenant_ids_for_member(user=user))
        visible |= Q(tenant_id__in=tenant_ids_for_staff(user=user))
    return visible


def problem_list_visible(*, user: User) -> QuerySet[Problem]:
    return Problem.objects.filter(_visible_filter(user=user)).select_related("tenant")


def problem_search_visible(
    *, user: User, query: str = "", tag: str = "", difficulty: str = ""
) -> QuerySet[Problem]:
    """Visible problems whose title or code contains `query` (any case), with the tag `tag` and of the
    difficulty `difficulty` when those are given, by code."""
    problems = problem_list_visible(user=user)
    if query := query.strip():
        problems = problems.filter(Q(title__icontains=query) | Q(code__icontains=query))
    if tag:
        # `tags` is a JSON list, and SQLite has no `contains` for JSON. A tag holds no quote
        # (problems/tags.py), so its quoted form inside the list's text matches one whole tag only.
        problems = problems.filter(tags__icontains=json.dumps(tag))
    if difficulty:
        problems = problems.filter(difficulty=difficulty)
    return problems.order_by("code")


def problem_tags_visible(*, user: User) -> list[str]:
    """Every tag of the problems this user may see, sorted: what the problem list offers to filter by."""
    tag_lists = problem_list_visible(user=user).values_list("tags", flat=True)
    return sorted({tag for tags in tag_lists for tag in tags})


def problem_get_for_user(*, user: User, code: str) -> Problem:
    """The one way to reach a problem: anything this user may not see is a 404, never a 403."""
    try:
        return problem_list_visible(user=user).get(code=code)
    except Problem.DoesNotExist:
        raise Http404("No such problem") from None


def problem_can_edit(*, user: User, problem: Problem) -> bool:
    return user.is_authenticated and problem.tenant_id in tenant_ids_for_staff(user=user)


def problem_list_editable(*, user: User) -> QuerySet[Problem]:
    return Problem.objects.filter(tenant_id__in=tenant_ids_for_staff(user=user))


def problem_samples(*, problem: Problem) -> QuerySet[TestCase]:
    return problem.tests.filter(is_sample=True).order_by("order", "id")


SAMPLE_PREVIEW_BYTES = 64 * 1024


def problem_sample_previews(*, problem: Problem) -> list[dict]:
    """The samples as shown on the problem page and in the API: at most SAMPLE_PREVIEW_BYTES of each file is
    read, and `truncated` says when the input or the answer is longer than that."""
    previews = []
    for index, test in enumerate(problem_samples(problem=problem), start=1):
        # one byte more than shown, to know whether there is more
        data = [read(limit=SAMPLE_PREVIEW_BYTES + 1) for read in (test.read_input, test.read_answer)]
        shown = [part[:SAMPLE_PREVIEW_BYTES].decode(errors="replace") for part in data]
        truncated = any(len(part) > SAMPLE_PREVIEW_BYTES for part in data)
        previews.append({"index": index, "input": shown[0], "answer": shown[1], "truncated": truncated})
    return previews


def site_stats(*, user: User) -> dict[str, int]:
    return {"problems": problem_list_visible(user=user).count()}


def problem_get_for_editor(*, user: User, code: str) -> Problem:
    """The one way into a problem's authoring pages: staff of its tenant only; anyone else gets a 404."""
    try:
        return problem_list_editable(user=user).select_related("tenant").get(code=code)
    except Problem.DoesNotExist:
        raise Http404("No such problem") from None


def problem_list_for_manage(*, user: User) -> QuerySet[Problem]:
    """Editable problems with their test count and test data size, most recently edited first."""
    sizes = Sum(F("tests__input_size") + F("tests__answer_size"))
    return (
        problem_list_editable(user=user)
        .select_related("tenant")
        .annotate(test_count=Count("tests"), data_size=Coalesce(sizes, 0))
        .order_by("-updated_at", "code")
    )


def problem_has_submissions(*, problem: Problem) -> bool:
    # `submissions` is the judge app's reverse relation; problems never imports the judge.
    return problem.submissions.exists()


def test_case_list(*, problem: Problem) -> QuerySet[TestCase]:
    """Tests in judging order: samples first."""
    return problem.tests.select_related("group").order_by("-is_sample", "order", "id")


TEST_PREVIEW_BYTES = 240
TEST_PREVIEW_LINES = 3


def test_case_previews(*, tests: Iterable[TestCase]) -> list[dict]:
    """Each test with the first lines of its input and answer, reading at most TEST_PREVIEW_BYTES of each."""
    return [
        {"test": test, "input": _preview(test.read_input), "answer": _preview(test.read_answer)}
        for test in tests
    ]


def _preview(read) -> dict:
    try:
        data = read(limit=TEST_PREVIEW_BYTES + 1)
    except OSError:
        return {"text": "", "more": False, "missing": True}
    lines = data[:TEST_PREVIEW_BYTES].decode(errors="replace").splitlines()
    more = len(data) > TEST_PREVIEW_BYTES or len(lines) > TEST_PREVIEW_LINES
    return {"text": "\n".join(lines[:TEST_PREVIEW_LINES]), "more": more, "missing": False}


def test_case_get(*, problem: Problem, test_id: int) -> TestCase:
    """A test of a problem the caller already reached through `problem_get_for_editor`."""
    try:
        return problem.tests.select_related("group").get(pk=test_id)
    except TestCase.DoesNotExist:
        raise Http404("No such test") from None


def test_group_list(*, problem: Problem) -> QuerySet[TestGroup]:
    return problem.groups.annotate(test_count=Count("tests")).order_by("order", "id")


def test_group_get(*, problem: Problem, group_id: int) -> TestGroup:
    try:
        return problem.groups.get(pk=group_id)
    except TestGroup.DoesNotExist:
        raise Http404("No such test group") from None


def test_data_stats(*, problem: Problem) -> dict[str, int]:
    sizes = Sum(F("input_size") + F("answer_size"))
    stats = problem.tests.aggregate(
        tests=Count("id"),
        samples=Count("id", filter=Q(is_sample=True)),
        ungrouped=Count("id", filter=Q(is_sample=False, group__isnull=True)),
        size=Coalesce(sizes, 0),
    )
    return {**stats, "groups": problem.groups.count()}
