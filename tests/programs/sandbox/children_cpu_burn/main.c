#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Each child stops after 0.45 s of its own CPU, so no single process passes the 1 s limit. */
int main(void) {
    for (int i = 0; i < 4; i++) {
        if (fork() == 0) {
            while (clock() < 0.45 * CLOCKS_PER_SEC) {
            }
            _exit(0);
        }
    }
    while (wait(NULL) > 0) {
    }
    puts("ESCAPED: 1.8 s of CPU across processes");
    return 0;
}
