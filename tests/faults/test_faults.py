"""Nothing lost, nothing leaked: a few dozen submissions in flight, then the worker is killed, Redis restarts
empty, PostgreSQL restarts, the engine vanishes. Every submission still ends DONE with its right verdict,
none gets its verdict written twice, and no box is left behind.

Real parts only: a Celery worker subprocess, our own Redis (no persistence) and PostgreSQL, the real Docker
engine behind a proxy socket we can cut (the shared dockerd itself is never stopped). `pytest -m faults`.
"""

import time

import pytest

from tests.faults.harness import Site, boxes_removed, cgroups_removed

pytestmark = [pytest.mark.faults, pytest.mark.docker]

PER_FAULT = 21


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("faults"))
    try:
        site.prepare()
        site.worker.start()
        yield site
    finally:
        site.close()


def test_worker_killed_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = site.started(ids)
    site.claimed(ids)

    site.worker.kill()  # SIGKILL: its claimed rows stay COMPILING/RUNNING, its messages stay unacknowledged
    site.worker.start()
    site.check("worker killed", ids, left=left, mended_at=time.monotonic())
    assert site.logged("judging it again")  # the sweeper requeued what the dead worker held


def test_redis_restarted_without_persistence_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = site.started(ids)

    site.redis.kill()  # every queued message and heartbeat is gone
    site.redis.start()
    site.check("redis restarted empty", ids, left=left, mended_at=time.monotonic())
    assert site.logged("the broker did not hold")  # the reconcile sent them again


def test_database_restarted_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = site.started(ids)

    site.postgres.stop()
    time.sleep(2)
    site.postgres.start()
    site.check("postgresql restarted", ids, left=left, mended_at=time.monotonic())
    assert site.logged("retry: Retry in")


def test_engine_unreachable_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = site.started(ids)

    site.proxy.stop()  # the engine vanishes for a few seconds, mid-run for some boxes
    time.sleep(4)
    assert site.done(ids) < len(ids)
    site.proxy.start()
    site.check("engine unreachable 4 s", ids, left=left, mended_at=time.monotonic())
    assert site.logged("the engine is down")  # given back, not IE


def test_no_box_is_left_behind(site):
    boxes_removed(site.proxy, timeout=90, who="the worker")


def test_no_cgroup_directory_is_left_behind(site):
    cgroups_removed(since=site.started_at)
