"""What a worker says about itself: a heartbeat every few seconds, and whether its engine works.

The heartbeats are read by submitting (fail fast: judge.submissions.dispatch) and by /healthz. An engine
outage seen by one judging is noted per machine (every worker process there shares the engine), so the
other tasks back off without claiming work, until the heartbeat finds the engine back.
"""

import logging
import socket
import threading
import time

from django.conf import settings
from django.core.cache import cache

import sandbox
from judge.submissions import dispatch

log = logging.getLogger(__name__)


def _engine_key() -> str:
    return f"judge:engine-down:{socket.gethostname()}"


def engine_problem(engine: sandbox.Engine) -> str:
    """Why `engine` cannot be reached now, in words; '' when it answers. (A missing image is not an
    outage: that language is not offered, and its submissions get IE.)"""
    try:
        return engine.unreachable()
    except Exception as exc:  # noqa: BLE001 - a probe that breaks is an engine that does not answer
        return f"the engine check failed: {exc}"


def engine_down_note(problem: str) -> None:
    cache.set(_engine_key(), problem, timeout=max(60, 4 * settings.JUDGE_ENGINE_RETRY_MAX_SECONDS))


def engine_down_problem() -> str:
    """The outage a judging on this machine saw, until a heartbeat finds the engine working again."""
    return cache.get(_engine_key()) or ""


def engine_retry_countdown(retries: int) -> int:
    return min(settings.JUDGE_ENGINE_RETRY_MAX_SECONDS, 2 ** min(retries, 6))


def languages_check() -> dict[str, list[str]]:
    """Which languages have their image here: {"available": [...], "missing": [...]} (the dashboard shows
    it per worker). An image store that cannot be read counts every language as missing."""
    try:
        versions = sandbox.language_versions()
    except Exception:  # noqa: BLE001 - the engine check reports why; here it only means "none to run"
        versions = {}
    available = sorted(key for key in sandbox.LANGUAGES if versions.get(key))
    return {"available": available, "missing": sorted(set(sandbox.LANGUAGES) - set(available))}


class _Heartbeat:
    def __init__(self, hostname: str, engine: sandbox.Engine):
        self.hostname, self.engine = hostname, engine
        self.checked = 0.0
        self.languages: dict[str, list[str]] = {"available": [], "missing": sorted(sandbox.LANGUAGES)}

    def once(self) -> None:
        problem = engine_down_problem()
        if problem or time.monotonic() - self.checked > settings.JUDGE_ENGINE_CHECK_SECONDS:
            self.checked = time.monotonic()
            problem = engine_problem(self.engine)
            if problem:
                engine_down_note(problem)
            else:
                cache.delete(_engine_key())
                self.languages = languages_check()
        dispatch.heartbeat_record(hostname=self.hostname, engine_problem=problem, languages=self.languages)

    def loop(self) -> None:
        while True:
            try:
                self.once()
            except Exception:  # noqa: BLE001 - Redis down: try again at the next beat
                log.warning("worker heartbeat failed", exc_info=True)
            time.sleep(settings.JUDGE_WORKER_HEARTBEAT_SECONDS)


def heartbeat_start(*, hostname: str, engine: sandbox.Engine) -> threading.Thread:
    """Beat from a daemon thread of the worker's main process (it ends with the worker)."""
    thread = threading.Thread(target=_Heartbeat(hostname, engine).loop, name="judge-heartbeat", daemon=True)
    thread.start()
    return thread
