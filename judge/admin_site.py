"""The Django admin is for site administrators only. Instructors and tenant admins work on /manage/ and
/staff/, whose every write goes through the services (which refuse, for example, deleting a problem that
has submissions). Letting anyone else in would need every admin write and every foreign key scoped."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SiteAdminSite(admin.AdminSite):
    site_header = "Online Judge administration"
    site_title = "Online Judge admin"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser


class SiteAdminConfig(AdminConfig):
    default_site = "judge.admin_site.SiteAdminSite"
