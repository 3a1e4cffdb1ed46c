#include <stdio.h>
#include <unistd.h>

/* The child leaves the session and burns CPU forever; the parent exits at once. */
int main(void) {
    if (fork() == 0) {
        setsid();
        volatile unsigned long spins = 0;
        for (;;)
            spins++;
    }
    puts("parent done");
    return 0;
}
