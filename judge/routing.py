from django.urls import path

from judge import consumers

websocket_urlpatterns = [
    path("ws/submissions/<int:submission_id>/", consumers.SubmissionConsumer.as_asgi()),
    path("ws/my-submissions/", consumers.MySubmissionsConsumer.as_asgi()),
]
