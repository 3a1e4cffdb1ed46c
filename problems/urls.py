from django.urls import path

from problems import views

app_name = "problems"

urlpatterns = [
    path("", views.problem_list, name="list"),
]
