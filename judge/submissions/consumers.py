"""Sockets of the submission pages and lists."""

from django.http import Http404

from judge.sockets.consumers import SendOnlyConsumer
from judge.submissions import events
from judge.submissions.selectors import submission_get_for_user, submission_queue_position, test_results_for


class SubmissionConsumer(SendOnlyConsumer):
    """`/ws/submissions/<id>/`: the current state first, then every change as it happens."""

    def authorize(self) -> bool:
        try:
            self.submission = submission_get_for_user(
                user=self.scope["user"], submission_id=int(self.scope["url_route"]["kwargs"]["submission_id"])
            )
        except Http404:
            return False
        return True

    def opened(self) -> None:
        submission = self.submission
        self.join(events.submission_group(submission.id))
        self.accept()
        # Joined before reading the snapshot, so nothing that happens in between is missed.
        self.send_json(
            {
                "type": "snapshot",
                "submission": events.submission_payload(
                    submission, queue_position=submission_queue_position(submission=submission)
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

    def opened(self) -> None:
        self.join(events.user_group(self.scope["user"].id))
        self.accept()

    def submission_queue(self, event):
        self.send_json(
            {
                "type": "queue",
                "submission_id": event["submission_id"],
                "queue_position": event["queue_position"],
            }
        )
