#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

static int escaped = 0;

/* Each call below has valid arguments: it would succeed if it reached the kernel unfiltered. */
static void expect_failure(const char *what, long result) {
    if (result >= 0) {
        printf("ESCAPED: %s returned %ld\n", what, result);
        escaped = 1;
    } else {
        printf("%s blocked: %s\n", what, strerrorname_np(errno));
    }
}

int main(void) {
    struct io_uring_params ring = {0};
    expect_failure("io_uring_setup", syscall(SYS_io_uring_setup, 8, &ring));
    expect_failure("userfaultfd", syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY));
    struct perf_event_attr perf = {
        .type = PERF_TYPE_SOFTWARE, .size = sizeof perf, .config = PERF_COUNT_SW_TASK_CLOCK,
        .exclude_kernel = 1, .exclude_hv = 1,
    };
    expect_failure("perf_event_open", syscall(SYS_perf_event_open, &perf, 0, -1, -1, 0));
    union bpf_attr map = {.map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1};
    expect_failure("bpf", syscall(SYS_bpf, BPF_MAP_CREATE, &map, sizeof map));
    expect_failure("keyctl", syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL));
    expect_failure("add_key", syscall(SYS_add_key, "user", "pwned", "x", 1, KEY_SPEC_PROCESS_KEYRING));
    expect_failure("request_key", syscall(SYS_request_key, "user", "pwned", NULL, KEY_SPEC_PROCESS_KEYRING));
    expect_failure("init_module", syscall(SYS_init_module, "", 0, ""));
    expect_failure("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
    expect_failure("acct", syscall(SYS_acct, "/box/acct"));
    expect_failure("swapoff", syscall(SYS_swapoff, "/box/swap"));
    puts(escaped ? "ESCAPED" : "blocked");
    return escaped;
}
