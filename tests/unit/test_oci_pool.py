"""The OCI engine's pool of boxes made ahead: its bookkeeping, with fake boxes (nothing is run)."""

import os
import threading
import time
from pathlib import Path

from sandbox.cgroups import RunCgroup
from sandbox.engines.oci.box import Box
from sandbox.engines.oci.pool import Pool


class Host:
    """Makes and destroys fake boxes, and remembers which."""

    def __init__(self, *, fail: bool = False, slow: float = 0.0, refuse: int = 0):
        self.made: list[Box] = []
        self.destroyed: list[Box] = []
        self.fail, self.slow, self.refuse = fail, slow, refuse  # refuse: destroys that fail first
        self._lock = threading.Lock()

    def make(self, shape) -> Box:
        time.sleep(self.slow)
        if self.fail:
            raise OSError("no runtime")
        box = Box(f"box-{shape}-{len(self.made)}", Path("/nowhere"), RunCgroup(name="x", version=2))
        with self._lock:
            self.made.append(box)
        return box

    def destroy(self, box: Box) -> None:
        box.close_pipes()
        if self.refuse:
            self.refuse -= 1
            raise OSError("the runtime could not delete it")
        with self._lock:
            self.destroyed.append(box)

    def alive(self) -> set[str]:
        return {box.id for box in self.made} - {box.id for box in self.destroyed}


def pool_for(host: Host, **options) -> Pool:
    return Pool(make=host.make, destroy=host.destroy, **options)


def settle(pool: Pool, host: Host, *, made: int) -> None:
    deadline = time.monotonic() + 5
    while len(host.made) < made or pool._making.total():
        assert time.monotonic() < deadline, f"only {len(host.made)} of {made} spares were made"
        time.sleep(0.01)


def test_a_miss_asks_for_a_spare_and_the_next_take_gets_it():
    host = Host()
    pool = pool_for(host, depth=2)
    assert pool.take("c") is None
    settle(pool, host, made=1)
    box = pool.take("c")
    assert box is host.made[0]
    settle(pool, host, made=2)
    assert pool.spares() == 1  # one ahead: the take asked for its replacement
    pool.drain()


def test_spares_stay_within_the_depth_of_a_shape():
    host = Host(slow=0.05)
    pool = pool_for(host, depth=2)
    for _ in range(5):  # runs faster than spares are made: the asks are capped, not queued up
        assert pool.take("c") is None
    settle(pool, host, made=2)
    assert len(host.made) == 2 and pool.spares() == 2
    pool.drain()


def test_depth_zero_makes_nothing_ahead():
    host = Host()
    pool = pool_for(host, depth=0)
    assert pool.take("c") is None
    time.sleep(0.05)
    assert host.made == [] and pool.spares() == 0


def test_the_least_recently_run_shape_goes_first():
    host = Host()
    pool = pool_for(host, depth=1, shapes=2)
    for shape in ("a", "b"):
        pool.take(shape)
        settle(pool, host, made=len(host.made) + 1)
    a_spare = next(box for box in host.made if box.id.startswith("box-a"))
    pool.take("c")  # a third shape: "a"'s spare is destroyed
    settle(pool, host, made=3)
    deadline = time.monotonic() + 5
    while a_spare not in host.destroyed:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert pool.take("a") is None
    pool.drain()


def test_drain_destroys_every_spare_and_waits_for_removals():
    host = Host()
    pool = pool_for(host, depth=2)
    pool.take("c")
    pool.take("d")
    settle(pool, host, made=2)
    finished = Box("finished", Path("/nowhere"), RunCgroup(name="y", version=2))
    pool.discard(finished)
    pool.drain()
    assert host.alive() == set()
    assert finished in host.destroyed
    assert pool.spares() == 0
    assert pool.take("c") is None  # still usable afterwards
    settle(pool, host, made=3)
    pool.drain()
    assert host.alive() == set()


def test_a_spare_that_cannot_be_made_is_no_spare():
    host = Host(fail=True)
    pool = pool_for(host, depth=2)
    assert pool.take("c") is None
    settle(pool, host, made=0)
    assert pool.take("c") is None
    assert pool._making["c"] <= 2  # a failed make gave its place back
    pool.drain()


def test_idle_spares_expire():
    host = Host()
    pool = pool_for(host, depth=1, idle=0.2)
    pool.take("c")
    settle(pool, host, made=1)
    deadline = time.monotonic() + 5
    while host.alive():
        assert time.monotonic() < deadline, "the idle spare was never destroyed"
        time.sleep(0.02)
    assert pool.take("c") is None
    pool.drain()


def test_a_box_whose_destroy_failed_is_destroyed_at_a_later_tick():
    """A live worker's box is no sweep's to remove: the pool itself tries again (the runtime was down)."""
    host = Host(refuse=2)
    pool = pool_for(host, depth=0, idle=0.2)
    finished = Box("finished", Path("/nowhere"), RunCgroup(name="y", version=2))
    pool.discard(finished)
    deadline = time.monotonic() + 5
    while finished not in host.destroyed:
        assert time.monotonic() < deadline, "the box was never destroyed"
        time.sleep(0.02)
    assert host.refuse == 0
    pool.drain()


def test_drain_tries_again_the_destroys_that_failed():
    host = Host(refuse=1)
    pool = pool_for(host, depth=0)
    finished = Box("finished", Path("/nowhere"), RunCgroup(name="y", version=2))
    pool.discard(finished)
    pool.drain()
    assert finished in host.destroyed


def test_a_forked_child_forgets_the_parents_spares():
    host = Host()
    pool = pool_for(host, depth=1)
    pool.take("c")
    settle(pool, host, made=1)
    read, write = os.pipe()
    host.made[0].stdout = os.dup(write)
    child = os.fork()
    if child == 0:
        code = 0 if pool.spares() == 0 and host.made[0].stdout is None else 1
        os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert pool.spares() == 1  # the parent's are untouched
    pool.drain()
    os.close(read)
    os.close(write)
