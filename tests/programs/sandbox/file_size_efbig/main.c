#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
        if (write(fileno(file), chunk, sizeof chunk) != (ssize_t)sizeof chunk) {
            printf("write failed after %d MiB: %s\n", mib, strerrorname_np(errno));
            return 0;
        }
    }
    puts("ESCAPED: a 60 MiB file under a 16 MiB file size limit");
    return 1;
}
