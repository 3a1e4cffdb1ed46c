"""What the judge-host API answers when it turns a request down."""


class HostRefused(Exception):
    """A request the judge-host API turns down: `status` is the HTTP answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
