import json

import pytest

from sandbox.seccomp import seccomp_allowed_names, seccomp_profile

DANGEROUS = """
ptrace process_vm_readv process_vm_writev io_uring_setup io_uring_enter io_uring_register userfaultfd
perf_event_open bpf keyctl add_key request_key unshare setns mount umount2 pivot_root chroot init_module
finit_module kexec_load reboot open_by_handle_at name_to_handle_at fanotify_init swapon acct syslog
""".split()
ESSENTIALS = ["read", "write", "execve", "mmap", "futex", "exit_group", "wait4"]
ALLOW = "SCMP_ACT_ALLOW"


@pytest.fixture(scope="module")
def profile() -> dict:
    return json.loads(seccomp_profile())


def rules_for(profile: dict, name: str) -> list[dict]:
    return [rule for rule in profile["syscalls"] if name in rule["names"]]


def allowed_unconditionally(profile: dict) -> set[str]:
    return {
        name
        for rule in profile["syscalls"]
        if rule["action"] == ALLOW and not rule.get("args")
        for name in rule["names"]
    }


def test_profile_is_json_that_denies_by_default(profile):
    assert profile["defaultAction"] == "SCMP_ACT_ERRNO"
    assert profile["defaultErrnoRet"] == 1
    assert {arch["architecture"] for arch in profile["archMap"]} == {"SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"}


def test_every_rule_is_well_formed(profile):
    for rule in profile["syscalls"]:
        assert rule["names"] and all(isinstance(name, str) and name for name in rule["names"])
        assert rule["action"] in (ALLOW, "SCMP_ACT_ERRNO")
        for arg in rule.get("args", []):
            assert set(arg) == {"index", "value", "valueTwo", "op"}


@pytest.mark.parametrize("name", DANGEROUS)
def test_dangerous_syscall_is_allowed_nowhere(profile, name):
    assert not [rule for rule in rules_for(profile, name) if rule["action"] == ALLOW]
    assert name not in seccomp_allowed_names()


def test_clone_is_allowed_only_without_namespace_flags(profile):
    rules = rules_for(profile, "clone")
    assert rules == [
        {
            "names": ["clone"],
            "action": ALLOW,
            "args": [{"index": 0, "value": 0x7E020000, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
        }
    ]
    assert "clone" not in seccomp_allowed_names()


def test_clone3_says_not_implemented(profile):
    assert rules_for(profile, "clone3") == [{"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]


def test_socket_only_for_unix_and_ip(profile):
    rules = rules_for(profile, "socket")
    assert all(rule["action"] == ALLOW for rule in rules)
    assert all(len(rule["args"]) == 1 for rule in rules)
    args = [rule["args"][0] for rule in rules]
    assert all((arg["index"], arg["op"]) == (0, "SCMP_CMP_EQ") for arg in args)
    assert sorted(arg["value"] for arg in args) == [1, 2, 10]
    assert "socket" not in allowed_unconditionally(profile)


def test_personality_is_only_allowed_with_an_argument(profile):
    assert "personality" not in allowed_unconditionally(profile)
    assert all(rule["args"] for rule in rules_for(profile, "personality"))


@pytest.mark.parametrize("name", ESSENTIALS)
def test_essentials_are_allowed(profile, name):
    assert name in allowed_unconditionally(profile)


def test_allowed_names_match_the_profile(profile):
    assert seccomp_allowed_names() == allowed_unconditionally(profile)
