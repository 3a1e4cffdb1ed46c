"""Staff actions, told to the execution log that judge.audit keeps (accounts and problems must not import
the judge, so they send `staff_action` and judge.audit listens; the judge's own code calls the same).

Who did it: the `actor` given, else the user of the request being served (ActorMiddleware), else nobody
(a management command: recorded as the system).
"""

import contextvars

from django.dispatch import Signal

# Sent with: action ("problem.update"), tenant_id, target ("problem aplusb"), actor (User | None), details.
staff_action = Signal()
_request = contextvars.ContextVar("audit_request", default=None)


def staff_action_note(*, action: str, tenant_id: int | None, target: str, actor=None, **details) -> None:
    if actor is None and (request := _request.get()) is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not actor.is_authenticated:
        actor = None
    staff_action.send(
        sender=None, action=action, tenant_id=tenant_id, target=target, actor=actor, details=details
    )


class ActorMiddleware:
    """Remembers the request being served, so a service can name who acted without being told. The user is
    read when an action is noted (after DRF has authenticated a token, too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def _tenant_of(obj) -> int | None:
    if obj.__class__.__name__ == "Tenant":
        return obj.pk
    return getattr(obj, "tenant_id", None)


def _changes(form) -> dict:
    return {name: str(form.cleaned_data.get(name)) for name in form.changed_data if "password" not in name}


class StaffActionAdmin:
    """A ModelAdmin mixin: every add, change and delete in the admin (inline rows too) goes in the log."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._note(obj, "change" if change else "add", **_changes(form))

    def delete_model(self, request, obj):
        self._note(obj, "delete")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._note(obj, "delete")
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.deleted_objects:
            self._note(obj, "delete")
        for obj, names in formset.changed_objects:
            self._note(obj, "change", **{name: str(getattr(obj, name, "")) for name in names})
        for obj in formset.new_objects:
            self._note(obj, "add")

    def _note(self, obj, verb: str, **details) -> None:
        name = obj._meta.model_name
        staff_action_note(
            action=f"{name}.{verb}", tenant_id=_tenant_of(obj), target=f"{name} {obj}", **details
        )
