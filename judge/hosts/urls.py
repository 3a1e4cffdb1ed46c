from django.urls import path

from judge.hosts import views

app_name = "hosts"

urlpatterns = [
    path("api/jobs/claim", views.claim, name="claim"),
    path("api/jobs/<int:job_id>/results", views.results, name="results"),
    path("api/tests/<str:sha>", views.test_file, name="test_file"),
    path("api/heartbeat", views.heartbeat, name="heartbeat"),
    path("<int:host_id>/revoke/", views.revoke, name="revoke"),
]
