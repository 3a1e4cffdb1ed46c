import importlib
import os
from functools import lru_cache

from sandbox.engines.base import Engine

DEFAULT_ENGINE = "sandbox.engines.docker.DockerEngine"


@lru_cache(maxsize=8)
def engine_get(path: str | None = None) -> Engine:
    """The engine named by dotted path (default: $SANDBOX_ENGINE, else the Docker engine)."""
    path = path or os.environ.get("SANDBOX_ENGINE") or DEFAULT_ENGINE
    module_name, _, class_name = path.rpartition(".")
    return getattr(importlib.import_module(module_name), class_name)()
