#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Writes all of data, retrying short writes; returns 0 or the errno of the write that failed. */
static int write_fully(int fd, const char *data, size_t size) {
    while (size > 0) {
        ssize_t done = write(fd, data, size);
        if (done < 0)
            return errno;
        data += done, size -= (size_t)done;
    }
    return 0;
}

/* Fills anonymous in-memory files, 8 MiB each (under the file size limit), up to 512 MiB. */
int main(void) {
    static char chunk[1 << 20];
    memset(chunk, 'x', sizeof chunk);
    signal(SIGXFSZ, SIG_IGN);
    for (int mib = 0; mib < 512;) {
        int fd = memfd_create("fill", 0);
        if (fd < 0) {
            printf("memfd_create failed after %d MiB: %s\n", mib, strerrorname_np(errno));
            return 1;
        }
        for (int i = 0; i < 8; i++, mib++) {
            int err = write_fully(fd, chunk, sizeof chunk);
            if (err != 0) {
                printf("write failed after %d MiB: %s\n", mib, strerrorname_np(err));
                return 1;
            }
        }
    }
    puts("ESCAPED: 512 MiB of memfd under a 64 MiB limit");
    return 1;
}
