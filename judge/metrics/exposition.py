"""What a scrape answers: this machine's counters and histograms (every process's, in multiprocess mode)
and, on the site, the database gauges; and a worker's own metrics port."""

import logging
import os

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess, start_http_server
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)


class _ThisProcess(Collector):
    def collect(self):
        yield from REGISTRY.collect()


def machine_registry() -> CollectorRegistry:
    """The counters and histograms of every process here (PROMETHEUS_MULTIPROC_DIR), else of this one."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    return registry


def site_metrics_text() -> bytes:
    from judge.metrics.collectors import DatabaseCollector  # reads models: import when scraped

    registry = machine_registry()
    registry.register(DatabaseCollector())
    return generate_latest(registry)


def worker_metrics_serve() -> bool:
    """Serve this machine's counters on JUDGE_WORKER_METRICS_ADDR:JUDGE_WORKER_METRICS_PORT (0: don't), for
    workers on machines of their own; the site's /metrics has the database gauges. True when serving."""
    port = settings.JUDGE_WORKER_METRICS_PORT
    if not port:
        return False
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        log.warning("PROMETHEUS_MULTIPROC_DIR is not set: the metrics port shows only the main process")
    start_http_server(port, addr=settings.JUDGE_WORKER_METRICS_ADDR, registry=machine_registry())
    log.info("worker metrics on %s:%s", settings.JUDGE_WORKER_METRICS_ADDR, port)
    return True
