import docker
import pytest

from sandbox.images import BASE_TAG, IMAGES, images_build, images_status

# The first build on a fresh machine runs debootstrap and apt, far longer than the default test timeout.
pytestmark = [pytest.mark.docker, pytest.mark.timeout(1800)]

TOOLCHAINS = [
    ("ojudge/c:1", ["gcc", "--version"], "gcc (Debian 12"),
    ("ojudge/cpp:1", ["g++", "--version"], "g++ (Debian 12"),
    ("ojudge/python:1", ["python3", "--version"], "Python 3.11"),
    ("ojudge/java:1", ["java", "-version"], 'openjdk version "17'),
    ("ojudge/java:1", ["javac", "-version"], "javac 17"),
]


@pytest.fixture(scope="module")
def client():
    client = docker.from_env()
    yield client
    client.close()


@pytest.fixture(scope="module")
def first_build(client):
    return images_build(client=client, log=lambda line: None)


def run_as_box(client, tag, argv):
    """Run argv the way the sandbox does: as uid 10000, no network, read-only root, tmpfs /tmp and /box."""
    output = client.containers.run(
        tag,
        argv,
        user="10000:10000",
        network_mode="none",
        read_only=True,
        remove=True,
        tmpfs={"/tmp": "size=64m", "/box": "size=64m,uid=10000,gid=10000"},
        environment={"HOME": "/box"},
        stdout=True,
        stderr=True,
    )
    return output.decode()


def test_build_returns_base_and_every_language(first_build):
    assert first_build == [BASE_TAG, *IMAGES]


def test_every_image_is_ready(client, first_build):
    assert images_status(client=client) == dict.fromkeys([BASE_TAG, *IMAGES], "ready")


def test_second_build_rebuilds_nothing(client, first_build):
    ids = {tag: client.images.get(tag).id for tag in first_build}
    lines = []
    assert images_build(client=client, log=lines.append) == first_build
    assert [line for line in lines if "building" in line] == []
    assert sum("up to date" in line for line in lines) == len(first_build)
    assert {tag: client.images.get(tag).id for tag in first_build} == ids


def test_building_one_language_builds_only_base_and_it(client, first_build):
    assert images_build(client=client, tags=["ojudge/python:1"], log=lambda line: None) == [
        BASE_TAG,
        "ojudge/python:1",
    ]


@pytest.mark.parametrize(("tag", "argv", "expected"), TOOLCHAINS)
def test_toolchain_runs_as_box_user(client, first_build, tag, argv, expected):
    assert expected in run_as_box(client, tag, argv)


@pytest.mark.parametrize("tag", [BASE_TAG, *IMAGES])
def test_box_user_and_init(client, first_build, tag):
    output = run_as_box(
        client, tag, ["sh", "-c", "id -u; id -g; stat -c '%u %a' /opt/box/init; test -x /opt/box/init"]
    )
    assert output.split() == ["10000", "10000", "0", "755"]


def test_java_compiles_and_runs_on_a_read_only_root(client, first_build):
    program = "public class Main { public static void main(String[] a) { System.out.println(6 * 7); } }"
    script = f"cd /tmp && echo '{program}' > Main.java && javac Main.java && java Main"
    assert run_as_box(client, "ojudge/java:1", ["sh", "-c", script]).strip() == "42"
