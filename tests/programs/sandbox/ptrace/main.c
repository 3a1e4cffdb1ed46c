#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static int escaped = 0;

static void expect_failure(const char *what, long result) {
    if (result != -1) {
        printf("ESCAPED: %s succeeded\n", what);
        escaped = 1;
    } else {
        printf("%s blocked: %s\n", what, strerrorname_np(errno));
    }
}

/* ptrace is how a program would step into the judge's processes or patch its own child at runtime. */
int main(void) {
    pid_t child = fork();
    if (child == 0) {
        expect_failure("PTRACE_TRACEME", ptrace(PTRACE_TRACEME, 0, NULL, NULL));
        fflush(stdout);
        _exit(escaped);
    }
    int status;
    waitpid(child, &status, 0);
    escaped |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;

    child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    expect_failure("PTRACE_ATTACH child", ptrace(PTRACE_ATTACH, child, NULL, NULL));
    expect_failure("PTRACE_SEIZE child", ptrace(PTRACE_SEIZE, child, NULL, NULL));
    expect_failure("PTRACE_ATTACH init", ptrace(PTRACE_ATTACH, 1, NULL, NULL));
    kill(child, SIGKILL);
    waitpid(child, &status, 0);

    /* Reading our own memory through process_vm_readv is harmless; it is only reported. */
    char source[] = "x", copy[2] = "";
    struct iovec local = {copy, 1}, remote = {source, 1};
    printf("info: process_vm_readv on self -> %zd\n", process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
    puts(escaped ? "ESCAPED" : "blocked");
    return escaped;
}
