"""The one staff check of the pages: logged in and staff (instructor or admin) of at least one tenant.

Anyone else gets the same 404 as for a page that does not exist, like a hidden problem: staff pages do
not tell outsiders they are there. Objects inside are reached through their own access functions.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.selectors import user_is_instructor


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_is_instructor(user=request.user):
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapper
