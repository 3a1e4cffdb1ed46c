#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int escaped = 0;

static void try_create(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        printf("ESCAPED: created %s\n", path);
        escaped = 1;
    } else {
        printf("%s blocked: %s\n", path, strerrorname_np(errno));
    }
}

static void try_write(const char *path, const char *data) {
    int fd = open(path, O_WRONLY);
    if (fd >= 0 && write(fd, data, strlen(data)) > 0) {
        printf("ESCAPED: wrote %s\n", path);
        escaped = 1;
    } else {
        printf("%s blocked: %s\n", path, strerrorname_np(errno));
    }
}

/* Every file outside the work dir and /tmp is read-only, and kernel knobs are out of reach. */
int main(void) {
    try_create("/pwned");
    try_create("/etc/pwned");
    try_create("/usr/bin/pwned");
    try_create("/opt/box/pwned");
    try_write("/etc/passwd", "pwned::0:0::/:/bin/sh\n");
    try_write("/usr/bin/python3", "#!/bin/sh\n");
    try_write("/proc/sys/kernel/core_pattern", "|/box/pwned");
    try_write("/proc/sysrq-trigger", "h");
    try_write("/sys/kernel/mm/transparent_hugepage/enabled", "never");
    if (mkdir("/var/pwned", 0755) == 0) {
        puts("ESCAPED: mkdir /var/pwned");
        escaped = 1;
    }
    if (mknod("/box/sda", S_IFBLK | 0600, makedev(8, 0)) == 0) {
        puts("ESCAPED: made a block device node");
        escaped = 1;
    } else {
        printf("mknod blocked: %s\n", strerrorname_np(errno));
    }
    puts(escaped ? "ESCAPED" : "blocked");
    return escaped;
}
