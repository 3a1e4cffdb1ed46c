import importlib
import os
from functools import lru_cache

from sandbox.engines.base import Engine

DOCKER_ENGINE = "sandbox.engines.docker.DockerEngine"
OCI_ENGINE = "sandbox.engines.oci.OciEngine"


def engine_get(path: str | None = None) -> Engine:
    """The engine named by dotted path (default: engine_choice()): one instance per class in a process,
    however it is named, since an engine holds state (a client, spare boxes)."""
    return _engine(path or engine_choice()[0])


@lru_cache(maxsize=8)
def _engine(path: str) -> Engine:
    module_name, _, class_name = path.rpartition(".")
    return getattr(importlib.import_module(module_name), class_name)()


def engine_choice() -> tuple[str, str]:
    """The dotted path engine_get() uses, and why, in words: $SANDBOX_ENGINE if set, else OciEngine
    where this host can run it (an OCI runtime, root, writable cgroups), else DockerEngine."""
    if path := os.environ.get("SANDBOX_ENGINE"):
        return path, "set by SANDBOX_ENGINE"
    # Late: the OCI package imports sandbox.images, which `python -m sandbox.images` must import first.
    from sandbox.engines.oci import oci_usable

    usable, why = oci_usable()
    if usable:
        return OCI_ENGINE, "the default, since this host can run it (an OCI runtime, root, writable cgroups)"
    return DOCKER_ENGINE, f"the default, since OciEngine is not usable here: {why}"
