from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("problems.urls_home")),
    path("accounts/", include("accounts.urls")),
    path("problems/", include("problems.urls")),
    path("manage/", include("problems.urls_manage")),
    path("", include("judge.urls_site")),
    path("contests/", include("judge.urls_contests")),
    path("staff/", include("judge.urls_staff")),
    path("api/", include("judge.urls_api")),
    path("admin/", admin.site.urls),
]
