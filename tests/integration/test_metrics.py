"""/metrics: who may scrape it, and what it says after real judging through the pipeline (fake engine;
one real run in the Docker sandbox)."""

import ipaddress

import pytest
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from judge.submissions import dispatch
from judge.submissions.models import Submission, TenantQuota
from judge.submissions.services import submission_create
from tests.factories import MembershipFactory, SubmissionFactory, TenantFactory
from tests.integration.fake_engine import CPU_PER_RUN, problem_with_tests

pytestmark = pytest.mark.django_db

URL = reverse("metrics:metrics")
NAMES = {
    "ojudge_runs_total",
    "ojudge_run_cpu_seconds",
    "ojudge_run_wall_seconds",
    "ojudge_run_memory_bytes",
    "ojudge_container_failures_total",
    "ojudge_compile_seconds",
    "ojudge_queue_depth",
    "ojudge_submission_latency_seconds",
    "ojudge_quota_usage_ratio",
    "ojudge_quota_rejections_total",
    "ojudge_workers_up",
}


def _samples(text: str) -> dict[tuple, float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _families(text: str) -> set[str]:
    return {f.name + ("_total" if f.type == "counter" else "") for f in text_string_to_metric_families(text)}


def _scrape(client, **headers) -> dict[tuple, float]:
    response = client.get(URL, **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/plain; version=")
    assert _families(response.content.decode()) >= NAMES
    return _samples(response.content.decode())


def _value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = "scrape-me-0123456789"
    return settings.METRICS_TOKEN


def test_with_a_token_set_no_token_or_a_wrong_one_is_refused(client, token):
    assert client.get(URL).status_code == 403
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get(URL, HTTP_AUTHORIZATION=f"Basic {token}").status_code == 403
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_with_nothing_set_only_loopback_not_forwarded_by_a_proxy_may_scrape(client, settings):
    settings.METRICS_TOKEN, settings.METRICS_ALLOW = "", []
    assert client.get(URL).status_code == 200  # the test client is 127.0.0.1
    assert client.get(URL, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    assert client.get(URL, REMOTE_ADDR="203.0.113.9").status_code == 403


def test_the_allow_list_admits_its_networks_only(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW = [ipaddress.ip_network("10.1.0.0/16")]
    assert client.get(URL, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get(URL, REMOTE_ADDR="10.2.0.1").status_code == 403
    assert client.get(URL).status_code == 403  # loopback is not on the list


def test_a_student_session_is_not_enough(client, token):
    client.force_login(MembershipFactory().user)
    assert client.get(URL, REMOTE_ADDR="203.0.113.9").status_code == 403


def test_after_judging_the_counters_and_gauges_say_what_happened(client, token, engine, judge_queued):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    problem = problem_with_tests(tests=[("1 2\n", True, ""), ("3 4\n", False, "")])
    slug = problem.tenant.slug
    before = _scrape(client, **auth)
    for source in ("ok", "slow", "syntax", "boom"):
        SubmissionFactory(problem=problem, source=source, tests_total=2)
    judge_queued()
    SubmissionFactory(problem=problem, source="ok")  # left waiting
    dispatch.heartbeat_record(hostname="celery@w1")
    after = _scrape(client, **auth)

    def delta(name, **labels):
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert delta("ojudge_runs_total", language="python", outcome="OK", tenant=slug) == 2
    assert delta("ojudge_runs_total", language="python", outcome="TLE", tenant=slug) == 1
    # "boom" fails in the sandbox twice (an internal error is retried once), each a run and a failure
    assert delta("ojudge_runs_total", language="python", outcome="IE", tenant=slug) == 2
    assert delta("ojudge_container_failures_total", reason="run") == 2
    assert delta("ojudge_compile_seconds_count", language="python") == 5  # boom compiled twice
    assert delta("ojudge_run_cpu_seconds_count", language="python") == 5
    assert delta("ojudge_run_cpu_seconds_sum", language="python") == pytest.approx(
        2 * CPU_PER_RUN + problem.time_limit + 0.1
    )
    assert delta("ojudge_run_memory_bytes_sum", language="python") == 2 * (1 << 20)
    assert delta("ojudge_run_wall_seconds_count", language="python") == 5
    assert delta("ojudge_submission_latency_seconds_count", kind="normal") == 4  # ok, slow, syntax, boom
    assert _value(after, "ojudge_queue_depth", tenant=slug, kind="normal") == 1
    quota = TenantQuota.objects.get(tenant=problem.tenant)
    ratio = _value(after, "ojudge_quota_usage_ratio", tenant=slug, quota="max_queued")
    assert ratio == pytest.approx(1 / quota.max_queued)
    assert 0 < _value(after, "ojudge_quota_usage_ratio", tenant=slug, quota="cpu_seconds_per_day") < 1
    assert _value(after, "ojudge_workers_up") == 1


def test_quota_rejections_are_counted_per_tenant_and_quota(client, token, settings):
    tenant = TenantFactory()
    member = MembershipFactory(tenant=tenant).user
    problem = problem_with_tests(tests=[("1 2\n", True, "")], tenant=tenant)
    TenantQuota.objects.create(tenant=tenant, max_queued=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    before = _value(
        _scrape(client, **auth), "ojudge_quota_rejections_total", tenant=tenant.slug, quota="max_queued"
    )
    submission_create(user=member, problem=problem, language="python", source="ok")
    other = MembershipFactory(tenant=tenant).user
    with pytest.raises(Exception, match="waiting"):
        submission_create(user=other, problem=problem, language="python", source="ok")

    after = _scrape(client, **auth)
    assert (
        _value(after, "ojudge_quota_rejections_total", tenant=tenant.slug, quota="max_queued") == before + 1
    )
    assert _value(after, "ojudge_quota_usage_ratio", tenant=tenant.slug, quota="max_queued") == 1.0
    assert Submission.objects.filter(tenant=tenant).count() == 1


@pytest.mark.docker
def test_a_real_sandbox_run_shows_in_the_metrics(client, token, judge_queued):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    problem = problem_with_tests(tests=[("1 2\n", True, "")])
    before = _scrape(client, **auth)
    SubmissionFactory(problem=problem, tests_total=1)  # print(sum(map(int, input().split())))
    [judged] = judge_queued()
    after = _scrape(client, **auth)

    assert judged.verdict == "AC"
    key = {"language": "python", "outcome": "OK", "tenant": problem.tenant.slug}
    assert _value(after, "ojudge_runs_total", **key) - _value(before, "ojudge_runs_total", **key) == 1
    cpu = _value(after, "ojudge_run_cpu_seconds_sum", language="python") - _value(
        before, "ojudge_run_cpu_seconds_sum", language="python"
    )
    memory = _value(after, "ojudge_run_memory_bytes_sum", language="python") - _value(
        before, "ojudge_run_memory_bytes_sum", language="python"
    )
    assert 0 < cpu < problem.time_limit
    assert 1 << 20 < memory < 256 << 20  # an interpreter's peak: some MiB, under the limit
    compiled = _value(after, "ojudge_compile_seconds_sum", language="python") - _value(
        before, "ojudge_compile_seconds_sum", language="python"
    )
    assert compiled > 0


def test_the_grafana_dashboard_uses_only_names_the_site_exports(client, token):
    import re
    from pathlib import Path

    dashboard = (Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json").read_text()
    used = {re.sub(r"_(bucket|sum|count)$", "", name) for name in re.findall(r"ojudge_\w+", dashboard)}
    text = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
    assert used and used <= _families(text)
    assert used == NAMES  # and every metric has a panel


def test_a_worker_serves_its_counters_on_its_own_port(settings):
    import socket
    import urllib.request

    from judge.metrics.exposition import worker_metrics_serve

    settings.JUDGE_WORKER_METRICS_PORT = 0
    assert worker_metrics_serve() is False
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.JUDGE_WORKER_METRICS_PORT, settings.JUDGE_WORKER_METRICS_ADDR = port, "127.0.0.1"
    assert worker_metrics_serve() is True
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    assert "ojudge_runs_total" in _families(text)
    assert "ojudge_queue_depth" not in text  # the database gauges are the site's
