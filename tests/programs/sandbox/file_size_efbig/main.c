#define _GNU_SOURCE
#include <errno.h>
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

/* Grows one file 1 MiB at a time, with SIGXFSZ ignored so the write fails instead. */
int main(void) {
    static char chunk[1 << 20];
    memset(chunk, 'x', sizeof chunk);
    signal(SIGXFSZ, SIG_IGN);
    FILE *file = fopen("/box/big", "wb");
    if (file == NULL) {
        perror("fopen");
        return 1;
    }
    for (int mib = 0; mib < 60; mib++) {
        int err = write_fully(fileno(file), chunk, sizeof chunk);
        if (err != 0) {
            printf("write failed after %d MiB: %s\n", mib, strerrorname_np(err));
            return 0;
        }
    }
    puts("ESCAPED: a 60 MiB file under a 16 MiB file size limit");
    return 1;
}
