"""The OCI engine: a fresh runc (or crun) container per run, with no dockerd on the hot path.

Docker is asked only for an image's root filesystem, once per image content hash: it is exported into
a cache dir and shared, read-only, by every run. Each run gets its own container id, bundle dir (just
its config.json) and per-run parent cgroup, and speaks the same boxinit protocol as DockerEngine over
plain pipes. All of it is deleted after the run; what a worker that died mid-run left behind is
removed by `OciEngine.sweep()`, which runs when the engine starts.

    config.py   the config.json of a run (limits, mounts, namespaces, seccomp)
    box.py      one container: created, started once, destroyed
    pool.py     containers created ahead of their runs, and destroyed after them, in the background
    run.py      one run: start its box, stream the protocol, watch CPU and wall time
    health.py   why no box can be made now (OciEngine.unreachable): the host, the runtime, its dirs
    engine.py   OciEngine: runtime choice, root filesystems, sweep
"""

from sandbox.engines.oci.box import ID_PREFIX
from sandbox.engines.oci.config import seccomp_oci
from sandbox.engines.oci.engine import OciEngine, oci_usable, runtime_pick

__all__ = ["ID_PREFIX", "OciEngine", "oci_usable", "runtime_pick", "seccomp_oci"]
