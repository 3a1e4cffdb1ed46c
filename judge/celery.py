import os

from celery import Celery
from celery.signals import worker_process_shutdown, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "judge.settings")

app = Celery("judge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _worker_started(sender, **kwargs) -> None:
    """A starting worker beats (and serves its metrics, when given a port), then drains what the database
    says is queued (the broker may have lost it) and removes boxes a crashed worker left behind."""
    from judge.judging.services import judging_engine  # Django is set up only once the worker runs
    from judge.judging.workers import heartbeat_start
    from judge.metrics.exposition import worker_metrics_serve

    heartbeat_start(hostname=sender.hostname, engine=judging_engine())
    worker_metrics_serve()
    sender.app.send_task("judge.tasks.reconcile_queued_submissions", kwargs={"older_than": 0})
    sender.app.send_task("judge.tasks.sweep_containers")


@worker_process_shutdown.connect
def _worker_process_ending(**kwargs) -> None:
    """A pool process leaves nothing behind: its engine's spare boxes go now (not at its atexit, which
    a pool process skips), and what a killed one leaves goes in the next start-up sweep."""
    from judge.judging.services import judging_engine

    judging_engine().drain()
