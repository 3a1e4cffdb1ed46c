#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Fills anonymous in-memory files, 8 MiB each (under the file size limit), up to 512 MiB. */
int main(void) {
    static char chunk[1 << 20];
    memset(chunk, 'x', sizeof chunk);
    signal(SIGXFSZ, SIG_IGN);
    for (int mib = 0; mib < 512;) {
        int fd = memfd_create("fill", 0);
        if (fd < 0) {
            printf("memfd_create failed after %d MiB: %s\n", mib, strerror(errno));
            return 1;
        }
        for (int i = 0; i < 8; i++, mib++) {
            if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk) {
                printf("write failed after %d MiB: %s\n", mib, strerror(errno));
                return 1;
            }
        }
    }
    puts("ESCAPED: 512 MiB of memfd under a 64 MiB limit");
    return 1;
}
