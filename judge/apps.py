from django.apps import AppConfig


class JudgeConfig(AppConfig):
    name = "judge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from accounts.audit import staff_action
        from judge.audit.services import staff_action_record
        from judge.sockets.events import session_logged_out

        user_logged_out.connect(session_logged_out, dispatch_uid="judge.sockets-on-logout")
        staff_action.connect(staff_action_record, dispatch_uid="judge.audit-staff-actions")
