import pytest

from tests.integration.fake_engine import fake_engine_install


@pytest.fixture
def engine(monkeypatch):
    """The fake sandbox engine, for tests about the pipeline rather than the sandbox."""
    return fake_engine_install(monkeypatch)
