"""The seccomp profile every box runs under: an allowlist, stricter than Docker's default.

Docker's default already refuses mount, bpf, perf_event_open, keyctl, namespaces and the like to a
container without capabilities. On top of that we refuse ptrace and process_vm_*, io_uring, AIO,
fanotify, handle-based opens, and every socket family but Unix and IP. Unknown syscalls fail with EPERM.
"""

import json
from functools import cache

_ALLOWED = """
accept accept4 access alarm arch_prctl bind brk capget capset chdir chmod chown clock_getres
clock_gettime clock_nanosleep close close_range connect copy_file_range creat dup dup2 dup3 epoll_create
epoll_create1 epoll_ctl epoll_pwait epoll_pwait2 epoll_wait eventfd eventfd2 execve execveat exit
exit_group faccessat faccessat2 fadvise64 fallocate fchdir fchmod fchmodat fchown fchownat fcntl
fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstatfs fsync ftruncate futex
futex_waitv futimesat getcpu getcwd getdents getdents64 getegid geteuid getgid getgroups getitimer
getpeername getpgid getpgrp getpid getppid getpriority getrandom getresgid getresuid getrlimit
get_robust_list getrusage getsid getsockname getsockopt get_thread_area gettid gettimeofday getuid
getxattr inotify_add_watch inotify_init inotify_init1 inotify_rm_watch ioctl ioprio_get kill lchown
lgetxattr link linkat listen listxattr llistxattr lremovexattr lseek lsetxattr lstat madvise membarrier
memfd_create mincore mkdir mkdirat mlock mlock2 mlockall mmap modify_ldt mprotect mremap msgctl msgget
msgrcv msgsnd msync munlock munlockall munmap nanosleep newfstatat open openat openat2 pause pidfd_open
pidfd_send_signal pipe pipe2 poll ppoll prctl pread64 preadv preadv2 prlimit64 pselect6 pwrite64 pwritev
pwritev2 read readahead readlink readlinkat readv recvfrom recvmmsg recvmsg removexattr rename renameat
renameat2 restart_syscall rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo
rt_sigreturn rt_sigsuspend rt_sigtimedwait rt_tgsigqueueinfo sched_getaffinity sched_getattr
sched_getparam sched_get_priority_max sched_get_priority_min sched_getscheduler sched_rr_get_interval
sched_setaffinity sched_yield seccomp select semctl semget semop semtimedop sendfile sendmmsg sendmsg
sendto setfsgid setfsuid setgid setgroups setitimer setpgid setpriority setregid setresgid setresuid
setreuid setrlimit set_robust_list setsid setsockopt set_thread_area set_tid_address setuid setxattr
shmat shmctl shmdt shmget shutdown sigaltstack signalfd signalfd4 socketpair splice stat statfs statx
symlink symlinkat sync sync_file_range syncfs sysinfo tee tgkill time timer_create timer_delete
timer_getoverrun timer_gettime timer_settime timerfd_create timerfd_gettime timerfd_settime times tkill
truncate umask uname unlink unlinkat utime utimensat utimes vfork vmsplice wait4 waitid write writev
""".split()

# Flags that would create a namespace; clone is allowed only with all of them clear.
_CLONE_NAMESPACE_FLAGS = 0x7E020000
_SOCKET_FAMILIES = (1, 2, 10)  # AF_UNIX, AF_INET, AF_INET6 (the box has no network either way)
_PERSONALITIES = (0, 8, 0x20000, 0x20008, 0xFFFFFFFF)  # Docker's harmless set (query, READ_IMPLIES_EXEC...)


def _rule(name: str, *, value: int, value_two: int = 0, op: str = "SCMP_CMP_EQ") -> dict:
    """Allow `name` when its first argument matches (for MASKED_EQ: `arg & value == value_two`)."""
    args = [{"index": 0, "value": value, "valueTwo": value_two, "op": op}]
    return {"names": [name], "action": "SCMP_ACT_ALLOW", "args": args}


def _syscall_rules() -> list[dict]:
    rules: list[dict] = [{"names": sorted(_ALLOWED), "action": "SCMP_ACT_ALLOW"}]
    rules.append(_rule("clone", value=_CLONE_NAMESPACE_FLAGS, op="SCMP_CMP_MASKED_EQ"))
    rules += [_rule("socket", value=family) for family in _SOCKET_FAMILIES]
    rules += [_rule("personality", value=persona) for persona in _PERSONALITIES]
    # glibc falls back to clone when clone3 says "not implemented"; clone3's flags can't be filtered.
    rules.append({"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38})
    return rules


@cache
def seccomp_profile() -> str:
    """The profile as the JSON text Docker takes in `security_opt=["seccomp=<json>"]`."""
    profile = {
        "defaultAction": "SCMP_ACT_ERRNO",
        "defaultErrnoRet": 1,
        "archMap": [
            {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
            {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]},
        ],
        "syscalls": _syscall_rules(),
    }
    return json.dumps(profile, separators=(",", ":"))


def seccomp_allowed_names() -> frozenset[str]:
    return frozenset(_ALLOWED)
