#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Starts a few children, then SIGKILLs every process it is allowed to signal, init included. */
int main(void) {
    for (int i = 0; i < 3; i++)
        if (fork() == 0) {
            pause();
            _exit(0);
        }
    printf("kill(1) -> %d\n", kill(1, SIGKILL));
    printf("kill(-1) -> %d\n", kill(-1, SIGKILL));
    int reaped = 0;
    while (wait(NULL) > 0)
        reaped++;
    printf("survived, reaped %d\n", reaped);
    return 0;
}
