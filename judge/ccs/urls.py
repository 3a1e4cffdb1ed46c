from django.urls import path

from judge.ccs import views

urlpatterns = [
    path("<slug:contest_id>", views.contest_endpoint, name="ccs_contest"),
    path("<slug:contest_id>/", views.contest_endpoint),
    path("<slug:contest_id>/event-feed", views.event_feed, name="ccs_event_feed"),
    path("<slug:contest_id>/<str:endpoint>", views.contest_endpoint, name="ccs_endpoint"),
    path("<slug:contest_id>/<str:endpoint>/<str:object_id>", views.contest_endpoint, name="ccs_object"),
]
