"""Live updates to browsers: published after the transaction commits, never inside it.

Groups: `submission-<id>` (the submission page), `user-<id>` (their lists and problem pages) and
`tenant-staff-<id>` (staff pages: every submission of the tenant).
Sending never raises, and each event goes to all its groups at once (judge.sockets.events.sends_safe).
"""

from django.db import transaction

from judge.sockets.events import sends_safe
from judge.submissions.feedback import sample_feedback_payload
from judge.submissions.models import Submission, TestResult


def submission_group(submission_id: int) -> str:
    return f"submission-{submission_id}"


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def tenant_staff_group(tenant_id: int) -> str:
    return f"tenant-staff-{tenant_id}"


def submission_payload(submission: Submission, *, queue_position: int | None = None) -> dict:
    return {
        "id": submission.id,
        "problem": submission.problem.code if submission.problem_id else None,
        "status": submission.status,
        "status_label": submission.get_status_display(),
        "verdict": submission.verdict,
        "verdict_label": submission.get_verdict_display() if submission.verdict else "",
        "score": submission.score,
        "max_score": submission.max_score,
        "max_time": submission.max_time,
        "max_memory": submission.max_memory,
        "tests_total": submission.tests_total,
        "tests_done": submission.tests_done,
        "compile_output": submission.compile_output if submission.is_finished else "",
        "queue_position": queue_position,
    }


def result_payload(result: TestResult) -> dict:
    return {
        "order": result.order,
        "is_sample": result.is_sample,
        "group": result.group_name,
        "verdict": result.verdict,
        "verdict_label": result.get_verdict_display(),
        "time": result.time,
        "memory": result.memory,
        # Hidden tests show only verdict, time and memory.
        "checker_message": result.checker_message if result.is_sample else "",
        "output_excerpt": result.output_excerpt if result.is_sample else "",
        "stderr_excerpt": result.stderr_excerpt if result.is_sample else "",
        "sample": sample_feedback_payload(result),
    }


def publish_submission(submission: Submission, *, queue_position: int | None = None) -> None:
    sends = _submission_sends(submission, queue_position=queue_position)
    transaction.on_commit(lambda: sends_safe(sends))


def publish_result(submission: Submission, result: TestResult) -> None:
    """A judged test: its row on the submission page, and the submission's new state everywhere."""
    message = {"type": "submission.test", "submission_id": submission.id, "result": result_payload(result)}
    sends = [*_submission_sends(submission), (submission_group(submission.id), message)]
    transaction.on_commit(lambda: sends_safe(sends))


def _submission_sends(submission: Submission, *, queue_position: int | None = None) -> list[tuple[str, dict]]:
    message = {
        "type": "submission.update",
        "submission": submission_payload(submission, queue_position=queue_position),
    }
    # The problem's staff follow it too when someone else pays (practice charged to the public pool).
    staff_tenants = {submission.tenant_id, submission.problem.tenant_id}
    groups = [
        submission_group(submission.id),
        user_group(submission.user_id),
        *(tenant_staff_group(tenant_id) for tenant_id in sorted(staff_tenants)),
    ]
    return [(group, message) for group in groups]


def publish_queue_positions(positions: dict[int, tuple[int, int]]) -> None:
    """positions: submission id -> (user id, place in the queue)."""
    for submission_id, (user_id, place) in positions.items():
        message = {"type": "submission.queue", "submission_id": submission_id, "queue_position": place}
        sends = [(submission_group(submission_id), message), (user_group(user_id), message)]
        transaction.on_commit(lambda sends=sends: sends_safe(sends))
