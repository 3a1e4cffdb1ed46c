"""The fault suite on OciEngine (a fresh runc container per run, boxes made ahead by a pool): submissions
in flight, then the worker is killed while it holds a claim, and the OCI runtime breaks for a few seconds.
Every submission still ends DONE with its right verdict, none gets its verdict written twice, and no box
of the suite's workers is left: no runtime container, bundle dir, per-run cgroup or box-user process.

The worker gets its own runtime state dir ($OJ_OCI_STATE, under the test's tmp dir), so other tests'
boxes never mix in; the root filesystems cache stays the shared one. `pytest -m faults`.
"""

import time

import pytest

from sandbox.engines import OCI_ENGINE
from sandbox.engines.oci import OciEngine
from tests.faults.harness import OciRuntime, Site, oci_boxes_left, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.docker]

PER_FAULT = 14


class OciSite(Site):
    """A Site whose worker runs OciEngine through an OciRuntime wrapper, and the pids of every worker
    process it had (a box id names the process that made it)."""

    def __init__(self, tmp):
        self.runtime = OciRuntime(tmp)
        state = tmp / "oci"
        super().__init__(tmp, SANDBOX_ENGINE=OCI_ENGINE, OJ_OCI_STATE=str(state), PATH=self.runtime.path)
        self.engine = OciEngine(state_dir=state)  # to look with: the real runtime, the worker's --root
        self.pids: set[int] = set()

    def start_worker(self) -> None:
        self.worker.start()
        self.pids |= self.worker.pids()

    def left(self, pids: set[int]) -> list[str]:
        return oci_boxes_left(self.engine, pids)

    def gone(self, pids: set[int], *, what: str) -> None:
        """Every box of these processes goes within a few seconds; else say what is left."""
        try:
            wait_for(lambda: not self.left(pids), timeout=10, what=what)
        except AssertionError:
            assert self.left(pids) == [], what


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = OciSite(tmp_path_factory.mktemp("faults-oci"))
    try:
        site.prepare()
        site.start_worker()
        yield site
    finally:
        site.close()


def test_worker_killed_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = site.started(ids)
    site.claimed(ids)
    dead = site.worker.pids()

    site.worker.kill()  # SIGKILL: its claimed rows stay COMPILING/RUNNING, its boxes stay on the host
    assert site.left(dead), "the killed worker left no box: the start-up sweep is not put to the test"
    site.start_worker()
    site.check("worker killed", ids, left=left, mended_at=time.monotonic())
    assert site.logged("judging it again")  # the sweeper requeued what the dead worker held
    site.gone(dead, what="the start-up sweep removes the dead worker's boxes")
    assert site.logged("left behind by dead workers")


def test_runtime_broken_mid_load(site):
    ids = site.submit(PER_FAULT)
    left = site.started(ids)

    site.runtime.fail()  # every runtime command fails, a create mid-run for some submissions
    time.sleep(4)
    assert site.done(ids) < len(ids)
    site.runtime.mend()
    site.check("runtime broken 4 s", ids, left=left, mended_at=time.monotonic())
    assert site.runtime.refused("create"), "no box was asked of the broken runtime"
    # Seen by a judging (its submission given back, not IE) or first by the heartbeat (the tasks wait).
    assert site.logged("the engine is down") + site.logged("engine down (")


def test_no_box_is_left_behind(site):
    site.pids |= site.worker.pids()
    site.worker.shutdown()  # as an operator stops it: its pool processes destroy their spare boxes
    site.gone(site.pids, what="a worker stopped leaves no box")
    state = site.engine.state_dir
    assert [path.name for path in (state / "runtime").iterdir()] == []
    assert [path.name for path in (state / "bundles").iterdir()] == []
