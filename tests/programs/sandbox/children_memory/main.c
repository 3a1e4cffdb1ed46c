#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_BYTES (30UL << 20)

/* Four children each touch 30 MiB, 120 MiB together, well under 64 MiB apiece. */
int main(void) {
    for (int i = 0; i < 4; i++) {
        if (fork() == 0) {
            /* volatile, so the compiler can't drop writes to memory nobody reads */
            volatile char *block = malloc(CHILD_BYTES);
            for (size_t at = 0; at < CHILD_BYTES; at += 4096)
                block[at] = 1;
            sleep(2);
            _exit(0);
        }
    }
    int status, failed = 0;
    while (wait(&status) > 0)
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    puts(failed ? "a child died" : "ESCAPED: 120 MiB in four processes");
    return 1;
}
