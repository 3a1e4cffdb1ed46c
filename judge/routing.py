"""Websocket routes of every feature; any other path is refused cleanly rather than raising in the router."""

from django.urls import path, re_path

from judge.contests.consumers import ContestConsumer, ScoreboardConsumer
from judge.ops.consumers import OpsConsumer
from judge.sockets.consumers import NotFoundConsumer
from judge.staff.consumers import StaffTenantConsumer
from judge.submissions.consumers import MySubmissionsConsumer, SubmissionConsumer

websocket_urlpatterns = [
    path("ws/submissions/<int:submission_id>/", SubmissionConsumer.as_asgi()),
    path("ws/my-submissions/", MySubmissionsConsumer.as_asgi()),
    path("ws/staff/tenants/<int:tenant_id>/", StaffTenantConsumer.as_asgi()),
    path("ws/contests/<slug:slug>/scoreboard/", ScoreboardConsumer.as_asgi()),
    path("ws/contests/<slug:slug>/", ContestConsumer.as_asgi()),
    path("ws/ops/", OpsConsumer.as_asgi()),
    path("ws/ops/tenants/<int:tenant_id>/", OpsConsumer.as_asgi()),
    re_path(r"^[\s\S]*$", NotFoundConsumer.as_asgi()),
]
