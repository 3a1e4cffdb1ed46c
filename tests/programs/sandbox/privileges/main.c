#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

static int escaped = 0;

static void expect_status(const char *key, const char *want) {
    char line[256];
    size_t len = strlen(key);
    FILE *status = fopen("/proc/self/status", "r");
    while (status != NULL && fgets(line, sizeof line, status) != NULL) {
        if (strncmp(line, key, len) == 0 && line[len] == ':') {
            char value[128];
            sscanf(line + len + 1, " %127s", value);
            int good = strcmp(value, want) == 0;
            printf("%s%s %s (want %s)\n", good ? "" : "ESCAPED: ", key, value, want);
            escaped |= !good;
            return;
        }
    }
    printf("ESCAPED: no %s in /proc/self/status\n", key);
    escaped = 1;
}

static void expect_failure(const char *what, int result) {
    if (result == 0) {
        printf("ESCAPED: %s succeeded\n", what);
        escaped = 1;
    } else {
        printf("%s blocked: %s\n", what, strerrorname_np(errno));
    }
}

int main(void) {
    printf("uid %d euid %d gid %d\n", getuid(), geteuid(), getgid());
    if (getuid() == 0 || geteuid() == 0 || getgid() == 0) {
        puts("ESCAPED: running as root");
        escaped = 1;
    }
    expect_status("CapInh", "0000000000000000");
    expect_status("CapPrm", "0000000000000000");
    expect_status("CapEff", "0000000000000000");
    expect_status("CapBnd", "0000000000000000");
    expect_status("CapAmb", "0000000000000000");
    expect_status("NoNewPrivs", "1");
    expect_status("Seccomp", "2");
    expect_failure("setuid(0)", setuid(0));
    expect_failure("setgid(0)", setgid(0));
    expect_failure("setresuid(0)", setresuid(0, 0, 0));
    struct rlimit files;
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_max += 1024, files.rlim_cur = files.rlim_max;
    expect_failure("raising RLIMIT_NOFILE", setrlimit(RLIMIT_NOFILE, &files));
    struct sched_param fifo = {.sched_priority = 50};
    expect_failure("SCHED_FIFO", sched_setscheduler(0, SCHED_FIFO, &fifo));
    expect_failure("nice -10", setpriority(PRIO_PROCESS, 0, -10));
    struct timeval epoch = {0};
    expect_failure("settimeofday", settimeofday(&epoch, NULL));
    expect_failure("sethostname", sethostname("pwned", 5));
    puts(escaped ? "ESCAPED" : "blocked");
    return escaped;
}
