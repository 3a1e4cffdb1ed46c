from django.contrib import admin, messages

from accounts.audit import StaffActionAdmin
from judge.contests.models import Clarification, Contest, ContestParticipant, ContestProblem
from judge.submissions.models import Submission, TenantQuota, TenantUsage, TestResult
from judge.submissions.services import submission_rejudge


class TestResultInline(admin.TabularInline):
    model = TestResult
    extra = 0
    can_delete = False
    fields = [
        "order",
        "is_sample",
        "group_name",
        "verdict",
        "time",
        "memory",
        "exit_code",
        "signal",
        "checker_message",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: a submission changes only by being judged (or rejudged, the action below)."""

    list_display = ["id", "problem", "user", "language", "status", "verdict", "score", "created_at"]
    list_filter = ["status", "verdict", "language"]
    search_fields = ["user__username", "problem__code"]
    readonly_fields = [field.name for field in Submission._meta.fields]
    inlines = [TestResultInline]
    actions = ["rejudge"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Rejudge selected submissions")
    def rejudge(self, request, queryset):
        for submission in queryset.select_related("problem"):
            submission_rejudge(submission=submission)
        messages.success(request, f"{queryset.count()} submissions queued for rejudging.")


@admin.register(TenantQuota)
class TenantQuotaAdmin(StaffActionAdmin, admin.ModelAdmin):
    list_display = ["tenant", *TenantQuota.LIMIT_FIELDS]


@admin.register(TenantUsage)
class TenantUsageAdmin(admin.ModelAdmin):
    list_display = ["tenant", "day", "submissions", "runs", "cpu_seconds"]
    list_filter = ["tenant"]
    date_hierarchy = "day"


class ContestProblemInline(admin.TabularInline):
    model = ContestProblem
    extra = 0
    fields = ["label", "problem", "order"]
    raw_id_fields = ["problem"]


class ContestParticipantInline(admin.TabularInline):
    model = ContestParticipant
    extra = 0
    fields = ["user", "started_at"]
    raw_id_fields = ["user"]


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "tenant", "format", "timing", "start_at", "end_at"]
    list_filter = ["format", "timing", "access"]
    search_fields = ["title", "slug"]
    readonly_fields = ["created_by", "created_at", "unfrozen_at"]
    inlines = [ContestProblemInline, ContestParticipantInline]


@admin.register(Clarification)
class ClarificationAdmin(admin.ModelAdmin):
    list_display = ["id", "contest", "author", "problem", "is_public", "answered_at"]
    list_filter = ["is_public"]
    readonly_fields = ["contest", "author", "problem", "question", "created_at", "answered_by", "answered_at"]

    def has_add_permission(self, request):
        return False
