#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Grows one file past the file size limit with SIGXFSZ at its default, which kills. */
int main(void) {
    static char chunk[1 << 20];
    memset(chunk, 'x', sizeof chunk);
    FILE *file = fopen("big", "wb");
    for (int mib = 0; mib < 60; mib++)
        write(fileno(file), chunk, sizeof chunk);
    puts("ESCAPED: a 60 MiB file under a 16 MiB file size limit");
    return 0;
}
