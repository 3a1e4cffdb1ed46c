import pytest
from django.core.exceptions import ImproperlyConfigured

from judge.env import env_bool, env_int, env_list, env_secret, env_str

NAME = "OJ_TEST_SETTING"


@pytest.fixture
def env(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)

    def set_value(value: str) -> None:
        monkeypatch.setenv(NAME, value)

    return set_value


def test_str_default_and_value(env):
    assert env_str(NAME, "fallback") == "fallback"
    env("  spaced  ")
    assert env_str(NAME, "fallback") == "  spaced  "


# env_bool


@pytest.mark.parametrize("default", [True, False])
def test_bool_unset_or_empty_gives_the_default(env, default):
    assert env_bool(NAME, default) is default
    env("")
    assert env_bool(NAME, default) is default


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", "On"])
def test_bool_true_values(env, value):
    env(value)
    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "off", "Off"])
def test_bool_false_values(env, value):
    env(value)
    assert env_bool(NAME, True) is False


@pytest.mark.parametrize("value", ["2", "maybe", "y", "enabled", " "])
def test_bool_bad_value_fails_loudly(env, value):
    env(value)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} must be a boolean"):
        env_bool(NAME, False)


# env_int


def test_int_unset_or_empty_gives_the_default(env):
    assert env_int(NAME, 7) == 7
    env("")
    assert env_int(NAME, 7) == 7


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("42", 42), ("-3", -3), (" 8 ", 8)])
def test_int_values(env, value, expected):
    env(value)
    assert env_int(NAME, 7) == expected


@pytest.mark.parametrize("value", ["1.5", "ten", "0x10", "4 2"])
def test_int_bad_value_fails_loudly(env, value):
    env(value)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} must be an integer, got {value!r}"):
        env_int(NAME, 7)


# env_list


def test_list_unset_or_empty_gives_the_default(env):
    assert env_list(NAME, ["localhost"]) == ["localhost"]
    env("")
    assert env_list(NAME, ["localhost"]) == ["localhost"]


def test_list_splits_on_commas_and_trims(env):
    env(" a.example , b.example,,c ,  ")
    assert env_list(NAME, []) == ["a.example", "b.example", "c"]


def test_list_single_value(env):
    env("judge.example")
    assert env_list(NAME, ["x"]) == ["judge.example"]


# env_secret


def test_secret_set_is_used(env):
    env("s3cret")
    assert env_secret(NAME, debug=False) == "s3cret"
    assert env_secret(NAME, debug=True) == "s3cret"


@pytest.mark.parametrize("value", [None, ""])
def test_secret_required_without_debug(env, value):
    if value is not None:
        env(value)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} must be set when DEBUG is off"):
        env_secret(NAME, debug=False)


def test_secret_random_under_debug(env):
    first, second = env_secret(NAME, debug=True), env_secret(NAME, debug=True)
    assert first != second
    assert first.startswith("dev-insecure-")
    assert len(first) >= len("dev-insecure-") + 32


def test_env_header_pair(monkeypatch):
    from judge.env import env_header_pair

    monkeypatch.delenv("OJ_TEST_HEADER", raising=False)
    assert env_header_pair("OJ_TEST_HEADER") is None
    monkeypatch.setenv("OJ_TEST_HEADER", " HTTP_X_FORWARDED_PROTO = https ")
    assert env_header_pair("OJ_TEST_HEADER") == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setenv("OJ_TEST_HEADER", "HTTP_X_FORWARDED_PROTO")
    with pytest.raises(ImproperlyConfigured):
        env_header_pair("OJ_TEST_HEADER")


# env_networks, env_base64_key


def test_networks_take_addresses_and_networks(env):
    import ipaddress

    from judge.env import env_networks

    assert env_networks(NAME) == []
    env("10.0.0.0/8, 192.0.2.7 ,::1")
    assert env_networks(NAME) == [
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("192.0.2.7/32"),
        ipaddress.ip_network("::1/128"),
    ]


@pytest.mark.parametrize("value", ["10.0.0.0/33", "example.org", "10.0.0.1,nope"])
def test_networks_that_are_not_fail_loudly(env, value):
    from judge.env import env_networks

    env(value)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_networks(NAME)


def test_base64_key_of_the_right_length(env):
    import base64

    from judge.env import env_base64_key

    assert env_base64_key(NAME, length=32) == b""
    env(base64.b64encode(b"k" * 32).decode())
    assert env_base64_key(NAME, length=32) == b"k" * 32


@pytest.mark.parametrize("value", ["not base64!", "a2tr", "a" * 100])
def test_base64_key_wrong_length_or_not_base64_fails_loudly(env, value):
    from judge.env import env_base64_key

    env(value)
    with pytest.raises(ImproperlyConfigured, match="32 raw bytes"):
        env_base64_key(NAME, length=32)
