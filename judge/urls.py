"""The site's URLs: each feature's own URL module, included under its prefix."""

from django.contrib import admin
from django.urls import include, path

from judge.submissions.views import problem_page
from problems import urls as problem_urls

# /problems/: the list is the problems app's; a problem's own page, which submits, is the judge's.
problem_pages = [*problem_urls.urlpatterns, path("<slug:code>/", problem_page, name="detail")]

urlpatterns = [
    path("", include("problems.urls_home")),
    path("accounts/", include("accounts.urls")),
    path("problems/", include((problem_pages, "problems"))),
    path("manage/", include("problems.urls_manage")),
    path("", include("judge.submissions.urls")),
    path("contests/", include("judge.contests.urls")),
    path("staff/similarity/", include("judge.similarity.urls")),
    path("contests/", include("judge.ccs.urls_pages")),
    path("staff/", include("judge.staff.urls")),
    path("ops/", include("judge.ops.urls")),
    path("hosts/", include("judge.hosts.urls")),
    path("api/", include("judge.urls_api")),
    path("admin/", admin.site.urls),
    path("", include("judge.health.urls")),
    path("", include("judge.metrics.urls")),
]
