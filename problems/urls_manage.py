from django.urls import path
from django.views.generic import RedirectView

from problems import views_manage as views

app_name = "manage"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="manage:problem_list"), name="index"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_new, name="problem_new"),
    path("preview/", views.statement_preview, name="preview"),
    path("problems/<slug:code>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<slug:code>/delete/", views.problem_delete_confirm, name="problem_delete"),
    path("problems/<slug:code>/draft/", views.problem_draft, name="problem_draft"),
    path("problems/<slug:code>/export/", views.problem_export, name="problem_export"),
    path("problems/<slug:code>/tests/", views.tests_page, name="tests"),
    path("problems/<slug:code>/tests/add/", views.test_add, name="test_add"),
    path("problems/<slug:code>/tests/upload/", views.tests_upload, name="tests_upload"),
    path("problems/<slug:code>/tests/samples/", views.tests_mark_samples, name="tests_samples"),
    path("problems/<slug:code>/tests/<int:test_id>/edit/", views.test_edit, name="test_edit"),
    path("problems/<slug:code>/tests/<int:test_id>/delete/", views.test_delete, name="test_delete"),
    path("problems/<slug:code>/tests/<int:test_id>/<str:kind>/", views.test_data, name="test_data"),
    path("problems/<slug:code>/groups/add/", views.group_add, name="group_add"),
    path("problems/<slug:code>/groups/<int:group_id>/edit/", views.group_edit, name="group_edit"),
    path("problems/<slug:code>/groups/<int:group_id>/delete/", views.group_delete, name="group_delete"),
]
