"""How django-axes forgets failed logins (see AXES_* in settings)."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt


class JudgeAxesHandler(AxesDatabaseHandler):
    """Axes' database handler, but a successful login forgets only that user's failures from that address.

    The stock reset deletes every attempt matching any lockout parameter, so logging in to one's own
    (free) account would also wipe the address's failures against other usernames: guess four passwords,
    log in, repeat, and neither lockout ever triggers.
    """

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        attempts = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=request.axes_ip_address
        )
        count, _ = attempts.delete()
        return count
