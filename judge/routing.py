from django.urls import path, re_path

from judge import consumers

websocket_urlpatterns = [
    path("ws/submissions/<int:submission_id>/", consumers.SubmissionConsumer.as_asgi()),
    path("ws/my-submissions/", consumers.MySubmissionsConsumer.as_asgi()),
    path("ws/staff/tenants/<int:tenant_id>/", consumers.StaffTenantConsumer.as_asgi()),
]

from judge import consumers_contests  # noqa: E402

websocket_urlpatterns += [
    path("ws/contests/<slug:slug>/scoreboard/", consumers_contests.ScoreboardConsumer.as_asgi()),
    path("ws/contests/<slug:slug>/", consumers_contests.ContestConsumer.as_asgi()),
]
# Last: every other path is refused cleanly rather than raising in the router.
websocket_urlpatterns += [re_path(r"^[\s\S]*$", consumers.NotFoundConsumer.as_asgi())]
