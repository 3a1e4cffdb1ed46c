from django.contrib import admin

from accounts.selectors import tenant_ids_for_staff, tenant_list_for_staff
from problems.models import Problem, ReferenceSolution, TestCase, TestGroup


class TenantScopedAdmin(admin.ModelAdmin):
    """Instructors see and change only their own tenants' problems; superusers see everything."""

    tenant_path = "tenant"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.tenant_path}__in": tenant_ids_for_staff(user=request.user)})

    def _allowed(self, request, obj=None) -> bool:
        if not request.user.is_active or not request.user.is_staff:
            return False
        if obj is None:
            return request.user.is_superuser or bool(tenant_ids_for_staff(user=request.user))
        tenant_id = _tenant_id_of(obj, self.tenant_path)
        return request.user.is_superuser or tenant_id in tenant_ids_for_staff(user=request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request):
        return self._allowed(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Every choice offered (and so every value accepted) stays inside the user's own tenants.
        if not request.user.is_superuser:
            staff_of = tenant_ids_for_staff(user=request.user)
            if db_field.name == "tenant":
                kwargs["queryset"] = tenant_list_for_staff(user=request.user)
            elif db_field.name == "problem":
                kwargs["queryset"] = Problem.objects.filter(tenant_id__in=staff_of)
            elif db_field.name == "group":
                kwargs["queryset"] = TestGroup.objects.filter(problem__tenant_id__in=staff_of)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _tenant_id_of(obj, path: str) -> int | None:
    for part in path.split("__"):
        obj = getattr(obj, part, None)
    return getattr(obj, "id", None)


class TenantScopedInline(admin.TabularInline):
    """Inlines of a problem: allowed exactly when the problem itself is (Django's model permissions aside)."""

    def _allowed(self, request, obj=None) -> bool:
        staff_of = tenant_ids_for_staff(user=request.user)
        if obj is None:
            return request.user.is_superuser or bool(staff_of)
        return request.user.is_superuser or obj.tenant_id in staff_of

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission
    has_add_permission = has_view_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group" and not request.user.is_superuser:
            kwargs["queryset"] = TestGroup.objects.filter(
                problem__tenant_id__in=tenant_ids_for_staff(user=request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TestGroupInline(TenantScopedInline):
    model = TestGroup
    extra = 0


class TestCaseInline(TenantScopedInline):
    model = TestCase
    extra = 0
    fields = ["order", "name", "is_sample", "group", "input_file", "answer_file", "input_size", "answer_size"]
    readonly_fields = ["input_size", "answer_size"]


class ReferenceSolutionInline(TenantScopedInline):
    model = ReferenceSolution
    extra = 0
    fields = ["name", "language", "expected", "source"]


@admin.register(Problem)
class ProblemAdmin(TenantScopedAdmin):
    list_display = [
        "code",
        "title",
        "tenant",
        "visibility",
        "time_limit",
        "memory_limit",
        "checker",
        "scoring",
    ]
    list_filter = ["visibility", "checker", "scoring", "tenant"]
    search_fields = ["code", "title"]
    inlines = [TestGroupInline, TestCaseInline, ReferenceSolutionInline]
    fieldsets = [
        (None, {"fields": ["code", "title", "tenant", "visibility", "statement"]}),
        ("Limits", {"fields": ["time_limit", "memory_limit", "output_limit", "time_multiplier"]}),
        (
            "Checking",
            {
                "fields": [
                    "checker",
                    "case_sensitive",
                    "interactive",
                    "float_abs_tolerance",
                    "float_rel_tolerance",
                    "checker_language",
                    "checker_source",
                    "scoring",
                    "stop_on_first_failure",
                ]
            },
        ),
    ]


@admin.register(TestCase)
class TestCaseAdmin(TenantScopedAdmin):
    tenant_path = "problem__tenant"
    list_display = ["problem", "order", "name", "is_sample", "group", "input_size", "answer_size"]
    list_filter = ["is_sample"]
    readonly_fields = ["input_size", "answer_size"]

    def save_model(self, request, obj, form, change):
        for field, size_field in (("input_file", "input_size"), ("answer_file", "answer_size")):
            upload = getattr(obj, field)
            if upload:
                setattr(obj, size_field, upload.size)
        super().save_model(request, obj, form, change)
