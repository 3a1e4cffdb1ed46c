"""Websocket consumers: check access on connect, then only relay events (STYLE rule 11)."""

from asgiref.sync import async_to_sync
from channels.generic.websocket import JsonWebsocketConsumer
from django.http import Http404

from accounts.selectors import user_is_staff_of
from judge import events
from judge.selectors import submission_get_for_user, test_results_for
from judge.services.queue import queue_position

CLOSE_FORBIDDEN = 4403


class SendOnlyConsumer(JsonWebsocketConsumer):
    """What every judge socket shares: it joins groups, relays their events, and reads nothing."""

    def join(self, group: str) -> None:
        async_to_sync(self.channel_layer.group_add)(group, self.channel_name)
        self.groups.append(group)

    def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Whatever arrives (JSON or not, text or bytes) gets the same polite answer; nothing is parsed.
        self.send_json({"type": "error", "message": "this socket only sends; nothing is read from it"})

    def submission_update(self, event):
        self.send_json({"type": "update", "submission": event["submission"]})


class SubmissionConsumer(SendOnlyConsumer):
    """`/ws/submissions/<id>/`: the current state first, then every change as it happens."""

    def connect(self):
        try:
            submission = submission_get_for_user(
                user=self.scope["user"], submission_id=int(self.scope["url_route"]["kwargs"]["submission_id"])
            )
        except Http404:
            self.close(code=CLOSE_FORBIDDEN)
            return
        self.join(events.submission_group(submission.id))
        self.accept()
        # Joined before reading the snapshot, so nothing that happens in between is missed.
        self.send_json(
            {
                "type": "snapshot",
                "submission": events.submission_payload(
                    submission, queue_position=queue_position(submission=submission)
                ),
                "results": [events.result_payload(r) for r in test_results_for(submission=submission)],
            }
        )

    def submission_test(self, event):
        self.send_json({"type": "test", "result": event["result"]})

    def submission_queue(self, event):
        self.send_json({"type": "queue", "queue_position": event["queue_position"]})


class MySubmissionsConsumer(SendOnlyConsumer):
    """`/ws/my-submissions/`: updates to every submission of the logged-in user (lists, problem pages)."""

    def connect(self):
        user = self.scope["user"]
        if not user.is_authenticated:
            self.close(code=CLOSE_FORBIDDEN)
            return
        self.join(events.user_group(user.id))
        self.accept()

    def submission_queue(self, event):
        self.send_json(
            {
                "type": "queue",
                "submission_id": event["submission_id"],
                "queue_position": event["queue_position"],
            }
        )


class StaffTenantConsumer(SendOnlyConsumer):
    """`/ws/staff/tenants/<id>/`: updates to every submission of one tenant, for its staff (staff pages)."""

    def connect(self):
        tenant_id = int(self.scope["url_route"]["kwargs"]["tenant_id"])
        if not user_is_staff_of(user=self.scope["user"], tenant_id=tenant_id):
            self.close(code=CLOSE_FORBIDDEN)
            return
        self.join(events.tenant_staff_group(tenant_id))
        self.accept()
