"""The ICPC Contest API under /api/contests/<id>/: thin views over judge.ccs.selectors and the feed."""

import asyncio
import json

from asgiref.sync import sync_to_async
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from judge.ccs import feed, objects, selectors, services

NDJSON = "application/x-ndjson"


def _error(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"code": status, "message": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="contest api"'
    return _cors(response)


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"  # tokens, never cookies: other origins may read
    return response


def _json(data) -> HttpResponse:
    return _cors(JsonResponse(data, safe=False, json_dumps_params={"separators": (",", ":")}))


def _viewer(request, contest_id: str) -> feed.Viewer:
    return services.api_token_authenticate(
        contest_id=contest_id, authorization=request.headers.get("Authorization", "")
    )


def _filtered(items: list[dict], params) -> list[dict]:
    """The spec's filtering: any ID property as a query argument (an empty value matches null)."""
    wanted = {k: v for k, v in params.items() if k.endswith("_id") and k != "id"}
    return [o for o in items if all(str(o.get(k) or "") == v for k, v in wanted.items())]


@require_GET
def contest_endpoint(request, contest_id: str, endpoint: str = "", object_id: str | None = None):
    try:
        viewer = _viewer(request, contest_id)
    except services.ApiDenied as exc:
        return _error(exc.status, exc.message)
    if not endpoint and object_id is None:
        return _json(objects.contest_object(viewer.contest))
    if object_id is None and endpoint in _SINGLETONS:
        return _json(_SINGLETONS[endpoint](viewer=viewer))
    if endpoint not in selectors.COLLECTIONS:
        return _error(404, f"No endpoint {endpoint!r} in this contest API.")
    items = selectors.ccs_collection(viewer=viewer, type_=endpoint)
    if object_id is None:
        return _json(_filtered(items, request.GET))
    found = next((item for item in items if item["id"] == object_id), None)
    return _json(found) if found is not None else _error(404, f"No {endpoint} with id {object_id!r}.")


_SINGLETONS = {
    "access": selectors.ccs_access,
    "state": selectors.ccs_state,
    "scoreboard": selectors.ccs_scoreboard,
}


@require_GET
def event_feed(request, contest_id: str):
    """NDJSON, one event a line; `since_token` resumes after an event; `stream=false` ends at the last one,
    otherwise the feed follows the contest (a newline every two minutes when quiet) until its final state."""
    try:
        viewer = _viewer(request, contest_id)
        since = request.GET.get("since_token") or None
        events = feed.feed_events(viewer=viewer, since_token=since)
    except services.ApiDenied as exc:
        return _error(exc.status, exc.message)
    except feed.FeedError as exc:
        return _error(400, str(exc))
    if request.GET.get("stream", "true").lower() == "false":
        return _cors(HttpResponse("".join(_line(e) for e in events), content_type=NDJSON))
    items = feed.feed_follow(viewer=viewer, first=events, since_token=since)
    return _cors(StreamingHttpResponse(_streamed(items), content_type=NDJSON))


async def _streamed(items):
    """Under ASGI a stream must be an async iterator (a sync one is read to its end first): each step of
    the feed runs in the sync thread, and the waits between polls sleep here without holding it."""
    step = sync_to_async(next)
    while (item := await step(items, None)) is not None:
        if isinstance(item, feed.Pause):
            await asyncio.sleep(item.seconds)
        else:
            yield _line(item) if isinstance(item, feed.Event) else item


def _line(event: feed.Event) -> str:
    return json.dumps(event.line(), separators=(",", ":")) + "\n"
