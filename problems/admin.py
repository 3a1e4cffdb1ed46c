"""Problems in the Django admin, which only site administrators reach (judge/admin_site.py).

Writes that have a service go through it: deleting a problem is refused once anyone has submitted
(their history would go with it) and removes its test files; test data is edited on the authoring
pages (/manage/), which check sizes and keep files and rows in step, so here it is read-only.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from problems.models import (
    PROBLEM_SETTING_SECTIONS,
    Problem,
    ReferenceSolution,
    TestCase,
    TestGroup,
    problem_setting_names,
)
from problems.selectors import problem_has_submissions
from problems.services.authoring import problem_delete


class TestGroupInline(admin.TabularInline):
    model = TestGroup
    extra = 0


class TestCaseInline(admin.TabularInline):
    model = TestCase
    extra = 0
    can_delete = False
    fields = ["order", "name", "is_sample", "group", "input_size", "answer_size"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceSolutionInline(admin.TabularInline):
    model = ReferenceSolution
    extra = 0
    fields = ["name", "language", "expected", "source"]


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title",
        "tenant",
        "visibility",
        "difficulty",
        "time_limit",
        "memory_limit",
        "checker",
        "scoring",
    ]
    list_filter = ["visibility", "difficulty", "checker", "scoring", "tenant"]
    search_fields = ["code", "title"]
    inlines = [TestGroupInline, TestCaseInline, ReferenceSolutionInline]
    readonly_fields = ["test_data"]
    fieldsets = [
        (None, {"fields": ["code", "tenant", "visibility"]}),
        *(
            (title, {"fields": list(problem_setting_names(section=section))})
            for section, title in PROBLEM_SETTING_SECTIONS.items()
        ),
        ("Tests", {"fields": ["test_data"]}),
    ]

    @admin.display(description="Test data")
    def test_data(self, problem: Problem) -> str:
        if not problem.pk:
            return "Add tests on the authoring pages once the problem is saved."
        url = reverse("manage:tests", args=[problem.code])
        return format_html('<a href="{}">Edit the tests on the authoring pages</a>', url)

    def get_readonly_fields(self, request, obj=None):
        # The code names the problem's URLs and test files: it never changes after creation.
        return [*super().get_readonly_fields(request, obj), *(["code"] if obj is not None else [])]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and problem_has_submissions(problem=obj):
            return False  # their history would go too: make it a draft instead
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        problem_delete(problem=obj)

    def delete_queryset(self, request, queryset):
        for problem in queryset:
            try:
                problem_delete(problem=problem)
            except ValidationError as exc:
                messages.error(request, f"{problem.code} was kept: {' '.join(exc.messages)}")
