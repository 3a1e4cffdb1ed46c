"""The OCI engine's per-run config.json and seccomp translation, without running anything."""

import json
from pathlib import Path

import pytest

from sandbox.cgroups import RunCgroup
from sandbox.engines.oci import ID_PREFIX, OciEngine, seccomp_oci
from sandbox.engines.oci.config import config_json
from sandbox.engines.oci.engine import _owner_alive
from sandbox.seccomp import seccomp_profile
from sandbox.types import Limits, MiB, RunRequest

REQUEST = RunRequest(image="ojudge/c:1", argv=("./main",), limits=Limits(cpu_time=2.5, memory=64 * MiB))


@pytest.fixture
def config(tmp_path):
    engine = OciEngine(state_dir=tmp_path / "state", cache_dir=tmp_path / "cache")
    return engine.config(REQUEST, Path("/cache/rootfs"), RunCgroup(name="ojoci-1-ab", version=1))


def test_process_is_the_box_user_without_privileges(config):
    process = config["process"]
    assert process["user"] == {"uid": 10000, "gid": 10000}
    assert process["args"] == ["/opt/box/init", "./main"]
    assert process["noNewPrivileges"] is True
    assert all(caps == [] for caps in process["capabilities"].values())
    assert process["terminal"] is False


def test_rlimits_match_the_docker_engine(config):
    limits = {item["type"]: (item["soft"], item["hard"]) for item in config["process"]["rlimits"]}
    assert limits == {"RLIMIT_CPU": (4, 5), "RLIMIT_NOFILE": (72, 72), "RLIMIT_CORE": (0, 0)}


def test_root_is_read_only_and_shared(config):
    assert config["root"] == {"path": "/cache/rootfs", "readonly": True}
    assert config["hostname"] == "box"


def test_work_dir_and_tmp_are_sized_tmpfs(config):
    mounts = {mount["destination"]: mount for mount in config["mounts"]}
    assert "size=67108864" in mounts["/box"]["options"] and "uid=10000" in mounts["/box"]["options"]
    assert f"size={16 * MiB}" in mounts["/tmp"]["options"] and "noexec" in mounts["/tmp"]["options"]
    assert "ro" in mounts["/sys"]["options"]


def test_linux_section(config):
    linux = config["linux"]
    assert linux["cgroupsPath"] == "/ojudge/ojoci-1-ab/box"  # under the per-run parent the host reads
    assert {"pid", "network", "ipc", "uts", "mount"} <= {ns["type"] for ns in linux["namespaces"]}
    memory = linux["resources"]["memory"]
    assert memory["limit"] == memory["swap"] >= 64 * MiB  # the exact limit sits on the parent
    assert linux["resources"]["pids"] == {"limit": 33}
    assert "/proc/kcore" in linux["maskedPaths"] and "/proc/sys" in linux["readonlyPaths"]


def test_seccomp_is_the_same_policy_in_oci_form():
    docker, oci = json.loads(seccomp_profile()), seccomp_oci()
    assert oci["defaultAction"] == docker["defaultAction"] == "SCMP_ACT_ERRNO"
    assert oci["defaultErrnoRet"] == 1
    assert len(oci["architectures"]) == 1  # the native ABI only
    assert [rule["names"] for rule in oci["syscalls"]] == [rule["names"] for rule in docker["syscalls"]]
    assert all(set(rule) <= {"names", "action", "args", "errnoRet"} for rule in oci["syscalls"])


def test_runs_of_dead_workers_are_recognised():
    assert _owner_alive(f"{ID_PREFIX}1-abc")  # pid 1 is always there
    assert not _owner_alive(f"{ID_PREFIX}999999999-abc")
    assert _owner_alive("someone-else")  # never ours to sweep


def test_config_json_is_the_config_with_the_policy_serialised_once(config):
    assert json.loads(config_json(config)) == config
    assert config_json(config) == json.dumps(config, separators=(",", ":"))


def test_config_json_of_an_edited_policy_is_not_the_cached_one(config):
    edited = {**config, "linux": {**config["linux"], "seccomp": {"defaultAction": "SCMP_ACT_KILL"}}}
    assert json.loads(config_json(edited))["linux"]["seccomp"] == {"defaultAction": "SCMP_ACT_KILL"}
