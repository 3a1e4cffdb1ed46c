"""Django middleware that refuses input no view should ever see."""

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError

API_PREFIX = "/api/"
NUL_MESSAGE = "The request contains a NUL character (%00), which no field of this site accepts."
MULTIPART_MESSAGE = "The request body is not valid multipart/form-data."


def _contains_nul(values: Iterable[str]) -> bool:
    return any("\x00" in value for value in values)


def request_has_nul(*, request: HttpRequest) -> bool:
    """NUL in the path, the query string, a cookie, or a form field's name or value (not file contents)."""
    fields = [*request.GET.lists(), *request.COOKIES.items()]
    if request.method == "POST":
        fields += request.POST.lists()  # empty unless the body is urlencoded or multipart
    flat = [request.path_info] + [key for key, _ in fields]
    for _, value in fields:
        flat += value if isinstance(value, list) else [value]
    return _contains_nul(flat)


class RejectNulMiddleware:
    """A NUL byte makes PostgreSQL raise on any query that uses it, so it is a 400 before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            has_nul = request_has_nul(request=request)
        except MultiPartParserError:  # what the view would have hit; answered here in the same shape
            return _bad_request(request, message=MULTIPART_MESSAGE)
        if has_nul:
            return _bad_request(request, message=NUL_MESSAGE)
        return self.get_response(request)


def _bad_request(request: HttpRequest, *, message: str) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
