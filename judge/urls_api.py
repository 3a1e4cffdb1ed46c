from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from judge.submissions import api
from problems import api as problems_api

app_name = "api"

urlpatterns = [
    path("problems/", problems_api.ProblemListApi.as_view(), name="problem_list"),
    path("problems/<slug:code>/", problems_api.ProblemDetailApi.as_view(), name="problem_detail"),
    path("submissions/", api.SubmissionListCreateApi.as_view(), name="submission_list"),
    path("submissions/<int:submission_id>/", api.SubmissionDetailApi.as_view(), name="submission_detail"),
    path("languages/", api.language_list, name="language_list"),
    path("contests/", include("judge.ccs.urls")),  # the ICPC Contest API (token auth, plain views)
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^[\s\S]*$", api.not_found, name="not_found"),  # [\s\S], not ".": a path with a newline too
]
