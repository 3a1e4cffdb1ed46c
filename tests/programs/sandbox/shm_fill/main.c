#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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

/* Writes files of 8 MiB into /dev/shm until something fails, up to 512 MiB. */
int main(void) {
    static char chunk[1 << 20];
    memset(chunk, 'x', sizeof chunk);
    signal(SIGXFSZ, SIG_IGN);
    for (int mib = 0, n = 0; mib < 512; n++) {
        char path[64];
        snprintf(path, sizeof path, "/dev/shm/fill%d", n);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) {
            printf("blocked: open %s: %s after %d MiB\n", path, strerrorname_np(errno), mib);
            return 0;
        }
        for (int i = 0; i < 8; i++, mib++) {
            int err = write_fully(fd, chunk, sizeof chunk);
            if (err != 0) {
                printf("blocked: write failed after %d MiB: %s\n", mib, strerrorname_np(err));
                return 0;
            }
        }
        close(fd);
    }
    puts("ESCAPED: 512 MiB in /dev/shm under a 64 MiB limit");
    return 1;
}
