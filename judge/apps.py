from django.apps import AppConfig


class JudgeConfig(AppConfig):
    name = "judge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from judge.sockets.events import session_logged_out

        user_logged_out.connect(session_logged_out, dispatch_uid="judge.sockets-on-logout")
