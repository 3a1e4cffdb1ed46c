"""Schemathesis over every operation of the published schema, against a live server: nothing is a 5xx, and
what comes back is what the schema says, both for a student with a token and for an anonymous caller.

Bounded: a fixed, derandomized number of examples per operation. `POST /api/submissions/` soon reaches the
per-user rate limit (JUDGE_SUBMIT_RATE), so most valid submissions get the documented 429; that is fine here.
No task is sent (tests/conftest.py records judging requests instead).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from problems.services.testdata import test_case_add as add_test
from tests.factories import MembershipFactory, ProblemFactory

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES_PER_OPERATION = 40
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def student_token():
    membership = MembershipFactory()
    problem = ProblemFactory(tenant=membership.tenant, code="aplusb")  # public by default
    add_test(problem=problem, input_data=b"1 2\n", answer_data=b"3\n", is_sample=True, group=None)
    return Token.objects.create(user=membership.user).key


@pytest.fixture
def api_schema(live_server, student_token):
    return schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_generated_requests_without_server_errors(case, live_server, student_token):
    for headers in ({"Authorization": f"Token {student_token}"}, {}):
        case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)
