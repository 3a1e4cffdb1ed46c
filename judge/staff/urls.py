from django.urls import path

from judge.staff import views

app_name = "staff"

urlpatterns = [
    path("problems/<slug:code>/validate/", views.validate, name="validate"),
    path("problems/<slug:code>/validate/run/", views.validate_run, name="validate_run"),
    path(
        "problems/<slug:code>/validate/solutions/",
        views.reference_solution_add,
        name="reference_solution_add",
    ),
    path(
        "problems/<slug:code>/validate/solutions/<int:solution_id>/",
        views.reference_solution_edit,
        name="reference_solution_edit",
    ),
    path(
        "problems/<slug:code>/validate/solutions/<int:solution_id>/delete/",
        views.reference_solution_remove,
        name="reference_solution_delete",
    ),
    path("problems/<slug:code>/validate/time-limit/", views.time_limit_apply, name="time_limit_apply"),
    path("problems/<slug:code>/rejudge/", views.problem_rejudge, name="problem_rejudge"),
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/<int:submission_id>/rejudge/", views.submission_rejudge_one, name="submission_rejudge"),
    path("rejudges/", views.rejudge_list, name="rejudge_list"),
    path("accounts/import/", views.roster_upload, name="roster_upload"),
]
