"""Per-user submission rate, shared by the pages and the API (django-ratelimit on the shared cache)."""

from django.conf import settings
from django_ratelimit.core import get_usage

from judge.submissions.errors import SubmissionRejected


def submit_rate_check(request) -> None:
    usage = get_usage(
        request,
        group="judge.submit",
        key="user_or_ip",
        rate=settings.JUDGE_SUBMIT_RATE,
        method=["POST"],
        increment=True,
    )
    if usage and usage["should_limit"]:
        wait = max(1, int(usage["time_left"]))
        raise SubmissionRejected(
            f"Too many submissions: the limit is {settings.JUDGE_SUBMIT_RATE} per user. "
            f"Try again in {wait} s.",
            status=429,
            retry_after=wait,
        )
