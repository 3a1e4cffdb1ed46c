from django.urls import path

from judge.similarity import views

app_name = "similarity"

urlpatterns = [
    path("", views.check_list, name="list"),
    path("start/", views.check_start, name="start"),
    path("<int:check_id>/", views.check_detail, name="detail"),
    path("<int:check_id>/status/", views.check_status, name="status"),
    path("<int:check_id>/pairs/<int:a_id>-<int:b_id>/", views.pair_detail, name="pair"),
]
