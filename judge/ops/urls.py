from django.urls import path

from judge.ops import views

app_name = "ops"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tenants/<int:tenant_id>/quota/", views.quota_edit, name="quota_edit"),
]
