"""Boxes made ahead of their runs, and boxes destroyed after them, both off the run's critical path.

A spare is a box in the runtime's "created" state for one shape of run (root filesystem, argv,
limits): what `runc create` costs (namespaces, mounts, cgroups, the seccomp filter) is paid while the
previous run of that shape goes on. Each spare is started by exactly one run and destroyed after it,
like any box; a run that finds no spare makes its own. Every take asks for one more spare of its
shape, up to `depth` waiting or being made, so a shape that is run again and again stays ahead and a
shape run once leaves one spare, which expires after `idle` seconds unused. At most `shapes` shapes
are kept (the least recently run goes first).

Spares belong to the process that made them (their ids carry its pid): a forked child forgets its
parent's, `drain()` runs at exit, and the start-up sweep removes those of a worker that was killed.
"""

import logging
import os
import queue
import threading
import time
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable

from sandbox.engines.oci.box import Box

log = logging.getLogger(__name__)

DESTROY_BACKLOG = 16  # destroys waiting beyond this are done by the caller itself: the host keeps up
_STOP = object()
_pools: "weakref.WeakSet[Pool]" = weakref.WeakSet()


class Pool:
    def __init__(
        self,
        *,
        make: Callable[[Hashable], Box],
        destroy: Callable[[Box], None],
        depth: int = 2,
        shapes: int = 4,
        idle: float = 20.0,
        workers: int = 2,
    ):
        self._make, self._destroy = make, destroy
        self.depth, self.shapes, self.idle, self.workers = depth, shapes, idle, workers
        self._reset()
        _pools.add(self)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._jobs: queue.Queue = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._spares: OrderedDict[Hashable, list[Box]] = OrderedDict()
        self._making: Counter = Counter()  # spares asked for and not made yet, per shape
        self._destroying = 0
        self._undone: list[Box] = []  # boxes whose destroy failed (the runtime down): tried again
        self._draining = False
        self._expired_at = 0.0

    def take(self, shape: Hashable) -> Box | None:
        """The oldest spare of this shape, or None; either way one more is asked for, within `depth`.
        A run that finds none makes its own box rather than wait for one being made: on a busy host
        two creates side by side finish sooner than one after the other."""
        with self._lock:
            boxes = self._spares.setdefault(shape, [])
            self._spares.move_to_end(shape)
            box = boxes.pop(0) if boxes else None
            if self.depth > 0 and len(boxes) + self._making[shape] < self.depth:
                self._making[shape] += 1
                self._submit(("make", shape))
            while len(self._spares) > self.shapes:
                self._discard_all(self._spares.popitem(last=False)[1])
        return box

    def discard(self, box: Box) -> None:
        """Destroy a box in the background (at once, here, when too many are waiting)."""
        with self._lock:
            if self._destroying < DESTROY_BACKLOG:
                self._destroying += 1
                self._submit(("destroy", box))
                return
        self._destroy_logged(box)

    def spares(self) -> int:
        with self._lock:
            return sum(len(boxes) for boxes in self._spares.values())

    def drain(self) -> None:
        """Destroy every spare and wait for the work in flight: afterwards nothing of the pool is left.
        The pool stays usable; its next take starts it again."""
        with self._lock:
            threads, self._threads = self._threads, []
            self._draining = True
            for _ in threads:
                self._jobs.put(_STOP)
        for thread in threads:
            thread.join()
        with self._lock:
            left = [box for boxes in self._spares.values() for box in boxes]
            self._spares.clear()
            self._making.clear()
            self._draining = False
            left += self._undone
            self._undone = []
        for box in left:
            self._destroy_logged(box)

    def _submit(self, job) -> None:
        """Queue a job (holding the lock); the worker threads start on the first one."""
        self._jobs.put(job)
        while len(self._threads) < self.workers:
            thread = threading.Thread(target=self._work, name="oci-pool", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _discard_all(self, boxes: list[Box]) -> None:
        for box in boxes:
            self._destroying += 1
            self._jobs.put(("destroy", box))

    def _work(self) -> None:
        while True:
            try:
                job = self._jobs.get(timeout=self.idle / 4)
            except queue.Empty:
                job = None
            self._expire()
            if job is None:
                continue
            if job is _STOP:
                return
            kind, arg = job
            if kind == "destroy":
                self._destroy_counted(arg)
            else:
                self._make_spare(arg)

    def _destroy_counted(self, box: Box) -> None:
        try:
            self._destroy_logged(box)
        finally:
            with self._lock:
                self._destroying -= 1

    def _destroy_logged(self, box: Box) -> None:
        """Destroy, or keep the box to try again at the next tick: a box of a live worker is no sweep's
        to remove, so one the runtime failed to delete (while it was down) would stay until exit."""
        try:
            self._destroy(box)
        except Exception as exc:  # noqa: BLE001 - keep the worker going; the box is tried again
            log.warning("could not destroy box %s (trying again later): %s", box.id, exc)
            with self._lock:
                self._undone.append(box)

    def _make_spare(self, shape: Hashable) -> None:
        box = None
        if not self._draining:
            try:
                box = self._make(shape)
            except Exception as exc:  # noqa: BLE001 - a spare that can't be made is no spare; a run says why
                log.warning("could not make a spare box: %s", exc)
        with self._lock:
            self._making[shape] = max(0, self._making[shape] - 1)
            if box is not None and shape in self._spares and not self._draining:
                self._spares[shape].append(box)
                box = None
        if box is not None:  # its shape was evicted, or the pool drained, while it was being made
            self._destroy_logged(box)

    def _expire(self) -> None:
        now = time.monotonic()
        cutoff = now - self.idle
        with self._lock:
            if now < self._expired_at + self.idle / 4:
                return
            self._expired_at = now
            old = [box for boxes in self._spares.values() for box in boxes if box.made < cutoff]
            for boxes in self._spares.values():
                boxes[:] = [box for box in boxes if box.made >= cutoff]
            old, self._undone = old + self._undone, []
        for box in old:
            self._destroy_logged(box)

    def _forget(self) -> None:
        """In a forked child: the spares are the parent's to start and destroy; only drop our copies."""
        for boxes in self._spares.values():
            for box in boxes:
                box.close_pipes()
        self._reset()


def pools_drain() -> None:
    """Drain every pool of this process (each engine instance has its own; their boxes all carry this
    process's pid): then no box of this process is left on the host."""
    for pool in list(_pools):
        pool.drain()


def _after_fork() -> None:
    for pool in list(_pools):
        pool._forget()


os.register_at_fork(after_in_child=_after_fork)
