"""A run's OCI config.json: what DockerEngine.container_kwargs asks of Docker, in the runtime's terms."""

import json
import math
import platform
from functools import cache
from pathlib import Path

from sandbox.engines.docker import BOX_UID, ENV
from sandbox.seccomp import seccomp_profile
from sandbox.types import MiB, RunRequest

MASKED = (
    "/proc/asound /proc/acpi /proc/kcore /proc/keys /proc/latency_stats /proc/timer_list /proc/timer_stats "
    "/proc/sched_debug /proc/scsi /sys/firmware /sys/devices/virtual/powercap"
).split()
READONLY = "/proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger".split()
NAMESPACES = ("pid", "network", "ipc", "uts", "mount", "cgroup")
_ARCH = {"x86_64": "SCMP_ARCH_X86_64", "aarch64": "SCMP_ARCH_AARCH64"}


@cache
def seccomp_oci() -> dict:
    """sandbox/seccomp.py's Docker profile as OCI's linux.seccomp (same rules, archMap -> architectures)."""
    profile = json.loads(seccomp_profile())
    # Only the native ABI: runc builds the filter on every start, and each extra ABI (x86, x32) costs
    # as much again. Syscalls through another ABI then fail as a bad architecture: stricter than Docker.
    keep = ("names", "action", "args", "errnoRet")
    return {
        **{key: profile[key] for key in ("defaultAction", "defaultErrnoRet")},
        "architectures": [_ARCH.get(platform.machine(), "SCMP_ARCH_NATIVE")],
        "syscalls": [{key: rule[key] for key in keep if key in rule} for rule in profile["syscalls"]],
    }


_NO_SECCOMP = '"seccomp":null'


@cache
def _seccomp_json() -> str:
    return json.dumps(seccomp_oci(), separators=(",", ":"))


def config_build(
    request: RunRequest, *, rootfs: Path, cgroups_path: str, cpus: float, cgroup_version: int
) -> dict:
    limits = request.limits
    cpu_cap = math.ceil(limits.cpu_time) + 1
    # The exact limit is on the per-run parent (RunCgroup.limit_memory), where the OOM kill is
    # counted; the runtime's own cgroup gets a little more, as a backstop only.
    backstop = limits.memory + 4 * MiB
    memory: dict = {"limit": backstop, "swap": backstop}
    if cgroup_version == 1:
        memory["swappiness"] = 0
    return {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": BOX_UID, "gid": BOX_UID},
            "args": ["/opt/box/init", *request.argv],
            "env": [f"{key}={value}" for key, value in ENV.items()],
            "cwd": "/box",
            "capabilities": {key: [] for key in ("bounding", "effective", "inheritable", "permitted")},
            "rlimits": [
                {"type": "RLIMIT_CPU", "soft": cpu_cap, "hard": cpu_cap + 1},
                {"type": "RLIMIT_NOFILE", "soft": limits.open_files + 8, "hard": limits.open_files + 8},
                {"type": "RLIMIT_CORE", "soft": 0, "hard": 0},
            ],
            "noNewPrivileges": True,
            "oomScoreAdj": 1000,
        },
        "root": {"path": str(rootfs), "readonly": True},
        "hostname": "box",
        "mounts": _mounts(request),
        "linux": {
            "cgroupsPath": cgroups_path,
            "resources": {
                "memory": memory,
                "pids": {"limit": limits.processes + 1},
                "cpu": {"quota": int(cpus * 100_000), "period": 100_000},
                "devices": [{"allow": False, "access": "rwm"}],
            },
            "namespaces": [{"type": kind} for kind in NAMESPACES],
            "maskedPaths": MASKED,
            "readonlyPaths": READONLY,
            "seccomp": seccomp_oci(),
        },
    }


def config_json(config: dict) -> str:
    """config.json's text; the seccomp policy (most of it, and the same for every run) is serialised once."""
    linux = config["linux"]
    if linux.get("seccomp") is not seccomp_oci():
        return json.dumps(config, separators=(",", ":"))
    rest = json.dumps({**config, "linux": {**linux, "seccomp": None}}, separators=(",", ":"))
    head, _, tail = rest.rpartition(_NO_SECCOMP)
    return f'{head}"seccomp":{_seccomp_json()}{tail}'


def _mounts(request: RunRequest) -> list[dict]:
    def mount(destination: str, kind: str, *options: str) -> dict:
        return {"destination": destination, "type": kind, "source": kind, "options": list(options)}

    box = f"size={request.limits.work_dir},uid={BOX_UID},gid={BOX_UID},mode=0700"
    return [
        mount("/proc", "proc", "nosuid", "noexec", "nodev"),
        mount("/dev", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
        mount("/dev/pts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"),
        mount("/dev/shm", "tmpfs", "nosuid", "noexec", "nodev", "mode=1777", f"size={16 * MiB}"),
        mount("/dev/mqueue", "mqueue", "nosuid", "noexec", "nodev"),
        mount("/sys", "sysfs", "nosuid", "noexec", "nodev", "ro"),
        mount("/sys/fs/cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro"),
        mount("/box", "tmpfs", "rw", "exec", "nosuid", "nodev", *box.split(",")),
        mount("/tmp", "tmpfs", "rw", "noexec", "nosuid", "nodev", f"size={16 * MiB}", "mode=1777"),
    ]
