from django.urls import path

from judge.contests import views

app_name = "contests"

urlpatterns = [
    path("", views.contest_list, name="list"),
    path("new/", views.contest_create, name="create"),
    path("<slug:slug>/", views.contest_detail, name="detail"),
    path("<slug:slug>/edit/", views.contest_edit, name="edit"),
    path("<slug:slug>/start/", views.contest_start, name="start"),
    path("<slug:slug>/problems/<str:label>/", views.contest_problem, name="problem"),
    path("<slug:slug>/problems/<str:label>/submit/", views.contest_submit, name="submit"),
    path("<slug:slug>/scoreboard/", views.contest_scoreboard, name="scoreboard"),
    path("<slug:slug>/submissions/", views.contest_submissions, name="submissions"),
    path("<slug:slug>/clarifications/", views.contest_clarifications, name="clarifications"),
    path("<slug:slug>/clarifications/ask/", views.clarification_ask, name="clarification_ask"),
    path("<slug:slug>/clarifications/announce/", views.clarification_announce, name="clarification_announce"),
    path(
        "<slug:slug>/clarifications/<int:clarification_id>/answer/",
        views.clarification_answer,
        name="clarification_answer",
    ),
    path("<slug:slug>/unfreeze/", views.contest_unfreeze, name="unfreeze"),
    path("<slug:slug>/rejudge/", views.contest_rejudge, name="rejudge"),
]
