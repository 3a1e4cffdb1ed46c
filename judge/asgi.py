import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "judge.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from judge import daphne_limits  # noqa: E402
from judge.contests.middleware import lockdown_socket_allows  # noqa: E402
from judge.http_limits import BodySizeLimitMiddleware  # noqa: E402
from judge.routing import websocket_urlpatterns  # noqa: E402
from judge.sockets.consumers import AccessChecks  # noqa: E402

# Oversized bodies: refused by daphne as the headers arrive, and by the middleware under any other server.
daphne_limits.install()

# Every socket also obeys the contest lockdown, on connect and on each access re-check.
sockets = AccessChecks(URLRouter(websocket_urlpatterns), checks=[lockdown_socket_allows])
application = ProtocolTypeRouter(
    {
        "http": BodySizeLimitMiddleware(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(sockets)),
    }
)
