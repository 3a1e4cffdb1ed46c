#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Four children each touch 30 MiB, 120 MiB together, well under 64 MiB apiece. */
int main(void) {
    for (int i = 0; i < 4; i++) {
        if (fork() == 0) {
            char *block = malloc(30 << 20);
            memset(block, 1, 30 << 20);
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
