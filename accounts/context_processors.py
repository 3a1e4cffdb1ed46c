from django.conf import settings

from accounts.selectors import tenant_ids_for_admin


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        # Called by the template only when asked (the header, for staff): a site or tenant admin sees /ops/.
        "user_may_watch_load": lambda: user is not None and bool(tenant_ids_for_admin(user=user)),
    }
