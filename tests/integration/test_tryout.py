"""The problem page's Run box: one run on a sample or the user's own input, queued, polled, never judged.

The fake engine stands in for the sandbox (the pipeline is under test); the last test runs a real one.
"""

from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.urls import reverse

from judge import tasks
from judge.submissions import tryout
from judge.submissions.models import Submission, TenantQuota
from judge.submissions.quotas import usage_today
from problems.models import TestCase
from tests.factories import MembershipFactory, UserFactory
from tests.integration.fake_engine import CPU_PER_RUN, problem_with_tests

pytestmark = pytest.mark.django_db

FROZEN = 1_700_000_000  # a fixed clock for the rate limiter, so no test straddles its minute boundary


@pytest.fixture(autouse=True)
def _frozen_rate_clock(monkeypatch):
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: FROZEN))


@pytest.fixture
def sent(monkeypatch):
    """Run tasks are recorded, not sent to a broker: a test runs them with tasks.tryout_run(token)."""
    tokens: list[str] = []
    monkeypatch.setattr(tryout.app, "send_task", lambda name, args: tokens.append((name, *args)))
    return tokens


@pytest.fixture
def problem():
    return problem_with_tests(
        code="sum", tests=[("1 2\n", True, ""), ("40 2\n", True, ""), ("7 7\n", False, "")]
    )


@pytest.fixture
def student(client, problem):
    user = MembershipFactory(tenant=problem.tenant).user
    client.force_login(user)
    return user


def _run(client, *, source="ok", sample="1", stdin=""):
    data = {"language": "python", "source": source, "sample": sample, "stdin": stdin}
    return client.post(reverse("judge:run", args=["sum"]), data)


def _run_and_work(client, sent, **kwargs) -> dict:
    response = _run(client, **kwargs)
    assert response.status_code == 202, response.content
    name, token = sent[-1]
    assert name == "judge.tasks.tryout_run"
    tasks.tryout_run(token)
    return client.get(response.json()["url"]).json()


def test_a_sample_run_uses_that_samples_input_and_says_whether_it_matches(
    client, student, sent, engine, monkeypatch
):
    read = []
    original = TestCase.read_input
    monkeypatch.setattr(
        TestCase, "read_input", lambda self, **kw: read.append(self.is_sample) or original(self, **kw)
    )

    result = _run_and_work(client, sent, sample="2")

    assert [run.stdin for run in engine.runs] == [b"40 2\n"]
    assert read == [True]  # only the chosen sample: hidden tests are never read
    assert result["status"] == "done"
    assert result["outcome"] == "OK" and result["stdout"] == "42\n" and result["matches"] is True
    assert result["time"] == CPU_PER_RUN and result["memory"] == 1 << 20
    assert not Submission.objects.exists()


def test_a_wrong_program_on_a_sample_does_not_match(client, student, sent, engine):
    result = _run_and_work(client, sent, source="wrong", sample="1")
    assert result["stdout"] == "0\n" and result["matches"] is False


def test_own_input_is_run_as_given(client, student, sent, engine):
    result = _run_and_work(client, sent, sample="custom", stdin="5 6\r\n")
    assert [run.stdin for run in engine.runs] == [b"5 6\n"]
    assert result["stdout"] == "11\n" and result["matches"] is None


def test_a_run_goes_in_the_execution_log_without_a_submission(client, student, sent, engine, problem):
    import hashlib

    from judge.audit.models import AuditRecord
    from judge.audit.verify import audit_chain_verify

    _run_and_work(client, sent, sample="custom", stdin="5 6\n")
    compiled, ran = AuditRecord.objects.order_by("seq").filter(user_id=student.id)
    assert (compiled.kind, ran.kind) == ("compile", "run")
    assert ran.submission_id is None and ran.tenant_id == problem.tenant_id and ran.data["tryout"] is True
    assert ran.data["input_sha256"] == hashlib.sha256(b"5 6\n").hexdigest()
    assert ran.data["output_sha256"] == hashlib.sha256(b"11\n").hexdigest()
    assert audit_chain_verify().ok


def test_compile_errors_are_shown(client, student, sent, engine):
    result = _run_and_work(client, sent, source="syntax")
    assert result["outcome"] == "CE" and "SyntaxError" in result["compile_output"]
    assert engine.runs == []


def test_the_result_is_pending_until_a_worker_ran_it(client, student, sent, engine):
    response = _run(client)
    assert client.get(response.json()["url"]).json() == {"status": "pending"}


def test_a_redelivered_task_runs_once(client, student, sent, engine):
    _run_and_work(client, sent)
    tasks.tryout_run(sent[-1][1])
    assert len(engine.runs) == 1


def test_cpu_seconds_are_charged_to_the_problems_tenant(client, student, sent, engine, problem):
    _run_and_work(client, sent)
    usage = usage_today(tenant_id=problem.tenant_id)
    assert usage.cpu_seconds == pytest.approx(0.01 + CPU_PER_RUN)  # the syntax check and the run
    assert usage.runs == 1 and usage.submissions == 0


def test_a_tenant_out_of_cpu_seconds_cannot_run(client, student, sent, problem):
    TenantQuota.objects.create(tenant=problem.tenant, max_running=2, max_queued=200, cpu_seconds_per_day=1)
    usage_today(tenant_id=problem.tenant_id).__class__.objects.update(cpu_seconds=5)
    response = _run(client)
    assert response.status_code == 429 and "CPU-seconds" in response.json()["error"]
    assert sent == []


def test_runs_have_their_own_rate_limit(client, student, sent, settings):
    settings.JUDGE_RUN_RATE = "2/m"
    assert _run(client).status_code == 202
    assert _run(client).status_code == 202
    response = _run(client)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many runs" in response.json()["error"]
    assert len(sent) == 2


def test_another_user_cannot_read_the_result(client, student, sent, engine):
    response = _run(client)
    tasks.tryout_run(sent[-1][1])
    client.force_login(UserFactory())
    assert client.get(response.json()["url"]).status_code == 404


def test_a_visitor_cannot_run(client, sent):
    problem_with_tests(code="sum", tests=[("1 2\n", True, "")])
    response = _run(client)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert sent == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sample": "3"}, "no sample 3"),  # the third test is hidden: not a sample to run on
        ({"sample": "custom", "stdin": "1 " * 40000}, "the limit is 65536 bytes"),
        ({"source": "   "}, "Paste your code"),
    ],
)
def test_bad_runs_are_refused_with_the_reason(client, student, sent, fields, message):
    response = _run(client, **fields)
    assert response.status_code == 400 and message in response.json()["error"]
    assert sent == []


def test_the_problem_page_has_the_run_box(client, student, problem):
    page = client.get(reverse("problems:detail", args=["sum"])).content.decode()
    assert "data-run-button" in page and 'data-run-url="/problems/sum/run/"' in page
    assert "Sample 2</option>" in page and "Sample 3" not in page


@pytest.mark.docker
def test_a_real_sandbox_runs_a_python_program_on_a_sample(client, student, sent):
    result = _run_and_work(
        client, sent, source="a, b = map(int, input().split())\nprint(a + b)\n", sample="2"
    )
    assert result["outcome"] == "OK" and result["stdout"] == "42\n" and result["matches"] is True
    assert result["memory"] > 0
