from django.urls import path

from judge.submissions import views

app_name = "judge"

urlpatterns = [
    path("problems/<slug:code>/submit/", views.submit, name="submit"),
    path("problems/<slug:code>/run/", views.run, name="run"),
    path("problems/<slug:code>/run/<str:token>/", views.run_result, name="run_result"),
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission_detail"),
]
