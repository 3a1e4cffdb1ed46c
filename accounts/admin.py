from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Membership, Tenant, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class JudgeUserAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "is_staff", "is_superuser", "date_joined"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "join_code", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "tenant", "role", "joined_at"]
    list_filter = ["role", "tenant"]
    search_fields = ["user__username", "tenant__name"]
