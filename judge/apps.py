from django.apps import AppConfig


class JudgeConfig(AppConfig):
    name = "judge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from judge import events

        user_logged_out.connect(events.session_logged_out, dispatch_uid="judge.sockets-on-logout")
