import os
import secrets
import time
from pathlib import Path

import pytest

from sandbox.cgroups import PARENT, ROOT, RunCgroup, cgroup_mode, cgroup_parents, cgroup_sweep, cgroup_version

RUN = "run-1"


def v1_root(tmp_path: Path) -> Path:
    for controller in ("memory", "cpuacct", "pids"):
        (tmp_path / controller).mkdir()
        (tmp_path / controller / "tasks").write_text("")
    return tmp_path


def v2_root(tmp_path: Path) -> Path:
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids\n")
    return tmp_path


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


# version detection


def test_version_two_when_cgroup_controllers_exists(tmp_path):
    assert cgroup_version(v2_root(tmp_path)) == 2


def test_version_one_otherwise(tmp_path):
    assert cgroup_version(v1_root(tmp_path)) == 1


def test_parent_is_what_docker_takes(tmp_path):
    assert RunCgroup(name=RUN, version=2, root=tmp_path).parent == f"/{PARENT}/{RUN}"


# cgroup v1


def test_v1_cpu_seconds(tmp_path):
    root = v1_root(tmp_path)
    write(root / "cpuacct" / PARENT / RUN / "cpuacct.usage", "1500000000\n")
    assert RunCgroup(name=RUN, version=1, root=root).cpu_seconds() == 1.5


def test_v1_memory_bytes(tmp_path):
    root = v1_root(tmp_path)
    write(root / "memory" / PARENT / RUN / "memory.max_usage_in_bytes", "12345678\n")
    assert RunCgroup(name=RUN, version=1, root=root).memory_bytes() == 12345678


def test_v1_missing_files(tmp_path):
    cgroup = RunCgroup(name=RUN, version=1, root=v1_root(tmp_path))
    assert cgroup.cpu_seconds() is None
    assert cgroup.memory_bytes() == 0


def test_v1_garbage_is_none(tmp_path):
    root = v1_root(tmp_path)
    write(root / "cpuacct" / PARENT / RUN / "cpuacct.usage", "lots\n")
    assert RunCgroup(name=RUN, version=1, root=root).cpu_seconds() is None


def test_v1_create_makes_a_dir_per_controller(tmp_path):
    root = v1_root(tmp_path)
    RunCgroup(name=RUN, version=1, root=root).create()
    for controller in ("memory", "cpuacct", "pids"):
        assert (root / controller / PARENT / RUN).is_dir()


def test_v1_create_twice_is_fine(tmp_path):
    cgroup = RunCgroup(name=RUN, version=1, root=v1_root(tmp_path))
    cgroup.create()
    cgroup.create()


def test_v1_remove_deletes_nested_empty_dirs(tmp_path):
    root = v1_root(tmp_path)
    cgroup = RunCgroup(name=RUN, version=1, root=root)
    cgroup.create()
    (root / "memory" / PARENT / RUN / "docker-abc" / "inner").mkdir(parents=True)
    (root / "cpuacct" / PARENT / RUN / "docker-abc").mkdir()
    cgroup.remove()
    for controller in ("memory", "cpuacct", "pids"):
        assert not (root / controller / PARENT / RUN).exists()
        assert (root / controller / PARENT).is_dir()  # the shared parent stays


def test_v1_remove_leaves_other_runs(tmp_path):
    root = v1_root(tmp_path)
    RunCgroup(name="other", version=1, root=root).create()
    cgroup = RunCgroup(name=RUN, version=1, root=root)
    cgroup.create()
    cgroup.remove()
    assert (root / "memory" / PARENT / "other").is_dir()


# cgroup v2


def test_v2_cpu_seconds(tmp_path):
    root = v2_root(tmp_path)
    write(root / PARENT / RUN / "cpu.stat", "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n")
    assert RunCgroup(name=RUN, version=2, root=root).cpu_seconds() == 2.5


def test_v2_cpu_seconds_finds_usage_on_any_line(tmp_path):
    root = v2_root(tmp_path)
    write(root / PARENT / RUN / "cpu.stat", "user_usec 7\nusage_usec 250000\n")
    assert RunCgroup(name=RUN, version=2, root=root).cpu_seconds() == 0.25


@pytest.mark.parametrize("text", ["user_usec 5\nsystem_usec 6\n", "usage_usec many\n", ""])
def test_v2_cpu_seconds_unreadable_is_none(tmp_path, text):
    root = v2_root(tmp_path)
    write(root / PARENT / RUN / "cpu.stat", text)
    assert RunCgroup(name=RUN, version=2, root=root).cpu_seconds() is None


def test_v2_cpu_seconds_missing_file_is_none(tmp_path):
    assert RunCgroup(name=RUN, version=2, root=v2_root(tmp_path)).cpu_seconds() is None


def test_v2_memory_peak(tmp_path):
    root = v2_root(tmp_path)
    write(root / PARENT / RUN / "memory.peak", "5000\n")
    write(root / PARENT / RUN / "memory.current", "3000\n")
    assert RunCgroup(name=RUN, version=2, root=root).memory_bytes() == 5000


def test_v2_memory_current_only_keeps_the_peak_across_polls(tmp_path):
    root = v2_root(tmp_path)
    current = root / PARENT / RUN / "memory.current"
    cgroup = RunCgroup(name=RUN, version=2, root=root)
    seen = []
    for value in (1000, 9000, 4000, 0):
        write(current, f"{value}\n")
        seen.append(cgroup.memory_bytes())
    current.unlink()
    seen.append(cgroup.memory_bytes())
    assert seen == [1000, 9000, 9000, 9000, 9000]


def test_v2_create_makes_the_run_dir_and_enables_controllers(tmp_path):
    root = v2_root(tmp_path)
    RunCgroup(name=RUN, version=2, root=root).create()
    assert (root / PARENT / RUN).is_dir()
    assert (root / "cgroup.subtree_control").read_text() == "+cpu +memory +pids"
    assert (root / PARENT / "cgroup.subtree_control").read_text() == "+cpu +memory +pids"


def test_v2_remove_deletes_nested_empty_dirs(tmp_path):
    root = v2_root(tmp_path)
    cgroup = RunCgroup(name=RUN, version=2, root=root)
    (root / PARENT / RUN / "a" / "b" / "c").mkdir(parents=True)
    (root / PARENT / RUN / "d").mkdir()
    cgroup.remove()
    assert not (root / PARENT / RUN).exists()
    assert (root / PARENT).is_dir()


def test_remove_of_a_missing_cgroup_is_quiet(tmp_path):
    RunCgroup(name=RUN, version=2, root=v2_root(tmp_path)).remove()
    RunCgroup(name=RUN, version=1, root=v1_root(tmp_path)).remove()


# sweep


def test_sweep_v2_removes_leftover_runs(tmp_path):
    root = v2_root(tmp_path)
    for name in ("old-1", "old-2"):
        (root / PARENT / name / "docker-x").mkdir(parents=True)
    assert cgroup_sweep(root, older_than=0) == 0
    assert list((root / PARENT).iterdir()) == []


def test_sweep_v1_removes_leftover_runs_in_every_controller(tmp_path):
    root = v1_root(tmp_path)
    for controller in ("memory", "cpuacct", "pids"):
        (root / controller / PARENT / "old" / "inner").mkdir(parents=True)
    assert cgroup_sweep(root, older_than=0) == 0
    for controller in ("memory", "cpuacct", "pids"):
        assert list((root / controller / PARENT).iterdir()) == []


def test_sweep_counts_what_could_not_be_removed(tmp_path):
    root = v2_root(tmp_path)
    (root / PARENT / "busy").mkdir(parents=True)
    (root / PARENT / "busy" / "cgroup.procs").write_text("123\n")  # a plain dir with a file can't be rmdir'ed
    (root / PARENT / "gone").mkdir()
    assert cgroup_sweep(root, older_than=0) == 1
    assert (root / PARENT / "busy").is_dir()
    assert not (root / PARENT / "gone").exists()


def test_sweep_ignores_files_and_a_missing_parent(tmp_path):
    root = v1_root(tmp_path)
    (root / "memory" / PARENT).mkdir()
    (root / "memory" / PARENT / "memory.limit_in_bytes").write_text("1\n")
    assert cgroup_sweep(root, older_than=0) == 0
    assert (root / "memory" / PARENT / "memory.limit_in_bytes").exists()


def test_sweep_leaves_fresh_runs_alone(tmp_path):
    """A run that is just starting has an empty cgroup too; only old leftovers are swept."""
    run = tmp_path / "memory" / "ojudge" / "fresh"
    run.mkdir(parents=True)
    (tmp_path / "memory" / "tasks").write_text("")
    cgroup_sweep(tmp_path)
    assert run.is_dir()


# hybrid hosts: v1 controllers plus the unified (v2) hierarchy mounted beside them at `unified`


def hybrid_root(tmp_path: Path) -> Path:
    root = v1_root(tmp_path)
    (root / "unified").mkdir()
    (root / "unified" / "cgroup.controllers").write_text("")
    return root


@pytest.mark.parametrize(("make", "mode"), [(v2_root, "v2"), (hybrid_root, "v1 hybrid"), (v1_root, "v1")])
def test_mode_names_the_three_layouts(tmp_path, make, mode):
    assert cgroup_mode(make(tmp_path)) == mode


def test_hybrid_remove_also_deletes_the_unified_dir(tmp_path):
    """Docker's runc makes <unified>/ojudge/<run>/docker-<id> and removes only its own leaf: the run's
    dir there leaked once per run (8,453 after a day) until remove() covered the unified hierarchy."""
    root = hybrid_root(tmp_path)
    cgroup = RunCgroup(name=RUN, version=1, root=root)
    cgroup.create()
    (root / "unified" / PARENT / RUN / "docker-abc").mkdir(parents=True)
    (root / "cpu" / PARENT / RUN).mkdir(parents=True)  # a controller the runtime made the dir in
    (root / "cpu" / "tasks").write_text("")
    cgroup.remove()
    assert [p for p in root.glob(f"*/{PARENT}/*")] == []


def test_hybrid_sweep_covers_the_unified_hierarchy(tmp_path):
    root = hybrid_root(tmp_path)
    (root / "unified" / PARENT / "old" / "docker-x").mkdir(parents=True)
    (root / "memory" / PARENT / "old").mkdir(parents=True)
    assert cgroup_sweep(root, older_than=0) == 0
    assert [p for p in root.glob(f"*/{PARENT}/*")] == []


def test_parents_lists_every_hierarchy(tmp_path):
    root = hybrid_root(tmp_path)
    (root / "not-a-hierarchy").mkdir()
    names = [path.parent.name for path in cgroup_parents(root)]
    assert names == ["cpuacct", "memory", "pids", "unified"]


def test_parents_on_v2_is_the_root_only(tmp_path):
    assert cgroup_parents(v2_root(tmp_path)) == [tmp_path / PARENT]


# limits and OOM counting on the per-run parent


def test_v1_limit_memory_sets_memory_and_swap(tmp_path):
    root = v1_root(tmp_path)
    cgroup = RunCgroup(name=RUN, version=1, root=root)
    cgroup.create()
    cgroup.limit_memory(64 * 1024 * 1024)
    base = root / "memory" / PARENT / RUN
    assert (base / "memory.limit_in_bytes").read_text() == str(64 * 1024 * 1024)
    assert (base / "memory.memsw.limit_in_bytes").read_text() == str(64 * 1024 * 1024)


def test_v2_limit_memory_allows_no_swap(tmp_path):
    root = v2_root(tmp_path)
    cgroup = RunCgroup(name=RUN, version=2, root=root)
    cgroup.create()
    cgroup.limit_memory(1000)
    assert (root / PARENT / RUN / "memory.max").read_text() == "1000"
    assert (root / PARENT / RUN / "memory.swap.max").read_text() == "0"


def test_v2_oom_kills_from_memory_events(tmp_path):
    root = v2_root(tmp_path)
    write(root / PARENT / RUN / "memory.events", "low 0\nmax 5\noom 1\noom_kill 2\noom_group_kill 0\n")
    assert RunCgroup(name=RUN, version=2, root=root).oom_kills() == 2


def test_oom_kills_without_a_watch_or_file_is_zero(tmp_path):
    assert RunCgroup(name=RUN, version=1, root=v1_root(tmp_path)).oom_kills() == 0
    assert RunCgroup(name=RUN, version=2, root=v2_root(tmp_path)).oom_kills() == 0


# the real host, under a temporary name (only as root, and only where the hierarchies are writable)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root on cgroupfs")
def test_real_host_remove_leaves_no_dir_in_any_hierarchy():
    name = f"unit-test-{secrets.token_hex(6)}"
    cgroup = RunCgroup(name=name, version=cgroup_version(), root=ROOT)
    try:
        cgroup.create()
        for base in cgroup_parents(ROOT):  # what a runtime makes: the run's dir and a leaf in every hierarchy
            (base / name / "box").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        pytest.skip(f"cgroupfs not writable here: {exc}")
    cgroup.remove()
    assert [str(base / name) for base in cgroup_parents(ROOT) if (base / name).exists()] == []


def test_sweep_removes_a_run_past_its_deadline_and_keeps_one_still_running(tmp_path):
    """A worker killed mid-run leaves its run's cgroups; the periodic sweep removes them once the run's
    deadline (in its name, as on its box's label) is past, however fresh the dir is."""
    from sandbox.cgroups import run_name

    root = v2_root(tmp_path)
    past, running = run_name(time.time() - 1), run_name(time.time() + 60)
    for name in (past, running):
        (root / PARENT / name / "docker-x").mkdir(parents=True)
    assert cgroup_sweep(root) == 0
    assert [p.name for p in (root / PARENT).iterdir()] == [running]


def test_run_names_are_unique_and_carry_the_deadline():
    from sandbox.cgroups import DEADLINED, run_name

    names = {run_name(1_900_000_000) for _ in range(100)}
    assert len(names) == 100
    assert all(DEADLINED.match(name).group(1) == "1900000000" for name in names)
