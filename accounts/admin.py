from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin

from accounts.audit import StaffActionAdmin
from accounts.models import Membership, Tenant, User
from accounts.services import tenant_join_code_generate, tenant_join_code_rotate


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class JudgeUserAdmin(StaffActionAdmin, UserAdmin):
    list_display = ["username", "email", "first_name", "is_staff", "is_superuser", "date_joined"]


@admin.register(Tenant)
class TenantAdmin(StaffActionAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "join_code", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]
    actions = ["new_join_code"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if not change and not obj.join_code:
            obj.join_code = tenant_join_code_generate()
        super().save_model(request, obj, form, change)

    @admin.action(description="New join code (the old one stops working)", permissions=["change"])
    def new_join_code(self, request, queryset):
        for tenant in queryset:
            tenant_join_code_rotate(tenant=tenant)
        self.message_user(request, f"{queryset.count()} new join code(s) made.", messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(StaffActionAdmin, admin.ModelAdmin):
    list_display = ["user", "tenant", "role", "joined_at"]
    list_filter = ["role", "tenant"]
    search_fields = ["user__username", "tenant__name"]
