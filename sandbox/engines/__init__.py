import importlib
import os
from functools import lru_cache

from sandbox.engines.base import Engine

DEFAULT_ENGINE = "sandbox.engines.docker.DockerEngine"
OCI_ENGINE = "sandbox.engines.oci.OciEngine"


@lru_cache(maxsize=8)
def engine_get(path: str | None = None) -> Engine:
    """The engine named by dotted path (default: $SANDBOX_ENGINE, else the Docker engine)."""
    path = path or engine_choice()[0]
    module_name, _, class_name = path.rpartition(".")
    return getattr(importlib.import_module(module_name), class_name)()


def engine_choice() -> tuple[str, str]:
    """The dotted path engine_get() uses, and why, in words."""
    if path := os.environ.get("SANDBOX_ENGINE"):
        return path, "set by SANDBOX_ENGINE"
    return DEFAULT_ENGINE, "the default"
