#include <signal.h>
#include <stdio.h>
#include <unistd.h>

/* A daemonised grandchild (double fork, new session, SIGHUP ignored) sleeps; main exits at once. */
int main(void) {
    if (fork() == 0) {
        setsid();
        signal(SIGHUP, SIG_IGN);
        if (fork() == 0) {
            close(0), close(1), close(2);
            for (;;)
                sleep(1000);
        }
        _exit(0);
    }
    puts("parent done");
    return 0;
}
