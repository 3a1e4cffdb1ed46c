#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_pivot_root
#define SYS_pivot_root 155
#endif

static int escaped = 0;

static void expect_failure(const char *what, long result) {
    if (result == 0) {
        printf("ESCAPED: %s succeeded\n", what);
        escaped = 1;
    } else if (result > 0) {
        /* A clone that made a child: it exits at once, but the flag got through. */
        printf("ESCAPED: %s made pid %ld\n", what, result);
        escaped = 1;
        waitpid((pid_t)result, NULL, 0);
    } else {
        printf("%s blocked: %s\n", what, strerrorname_np(errno));
    }
}

static long clone_with(unsigned long flags) {
    long pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid == 0)
        _exit(0);
    return pid;
}

static long clone3_with(unsigned long flags) {
    struct clone_args args = {.flags = flags, .exit_signal = SIGCHLD};
    long pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0)
        _exit(0);
    return pid;
}

/* Namespaces and mounts are the usual first step of a container escape; all must be refused. */
int main(void) {
    expect_failure("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER));
    expect_failure("unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS));
    expect_failure("unshare(CLONE_NEWNET)", unshare(CLONE_NEWNET));
    expect_failure("clone(CLONE_NEWUSER)", clone_with(CLONE_NEWUSER));
    expect_failure("clone(CLONE_NEWPID|CLONE_NEWUSER)", clone_with(CLONE_NEWPID | CLONE_NEWUSER));
    expect_failure("clone3(CLONE_NEWUSER)", clone3_with(CLONE_NEWUSER));
    int ns = open("/proc/self/ns/net", O_RDONLY);
    expect_failure("setns(net)", ns < 0 ? -1 : setns(ns, 0));
    mkdir("/box/mnt", 0755);
    expect_failure("mount tmpfs", mount("none", "/box/mnt", "tmpfs", 0, ""));
    expect_failure("mount proc", mount("proc", "/box/mnt", "proc", 0, ""));
    expect_failure("remount / rw", mount(NULL, "/", NULL, MS_REMOUNT, NULL));
    expect_failure("chroot", chroot("/box"));
    expect_failure("pivot_root", syscall(SYS_pivot_root, "/box", "/box/mnt"));
    puts(escaped ? "ESCAPED" : "blocked");
    return escaped;
}
