#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Forks sleeping children until the kernel refuses, then reports how many it got. */
int main(void) {
    int made = 0;
    for (int i = 0; i < 10000; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            sleep(1000);
            _exit(0);
        }
        if (pid < 0) {
            printf("fork refused after %d children: %s\n", made, strerror(errno));
            return made < 32 ? 0 : 1;
        }
        made++;
    }
    printf("ESCAPED: made %d children\n", made);
    return 1;
}
