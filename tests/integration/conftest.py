import pytest
from django.db import connection

from tests.integration.fake_engine import fake_engine_install


@pytest.fixture
def engine(monkeypatch):
    """The fake sandbox engine, for tests about the pipeline rather than the sandbox."""
    return fake_engine_install(monkeypatch)


@pytest.fixture
def tamper():
    """SQL straight at the table, past the trigger that refuses UPDATE (dropped inside the test's
    transaction, so it is back afterwards)."""
    assert connection.vendor == "sqlite"

    def run(sql: str, params=()) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS judge_auditrecord_no_update")
            cursor.execute(sql, params)

    return run
