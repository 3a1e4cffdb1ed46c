class SubmissionRejected(Exception):
    """A submission that must not be saved, with a reason the user can act on."""

    def __init__(
        self, message: str, *, field: str | None = None, status: int = 400, retry_after: int | None = None
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.retry_after = retry_after


class QuotaExceeded(SubmissionRejected):
    """A tenant's quota refused a submission or a run; counted once the refusing transaction is undone."""

    def __init__(self, message: str, *, tenant_id: int, retry_after: int):
        super().__init__(message, status=429, retry_after=retry_after)
        self.tenant_id = tenant_id
