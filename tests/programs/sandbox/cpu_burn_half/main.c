#include <stdio.h>
#include <time.h>

/* Burns 0.5 s of its own CPU time, then reports. */
int main(void) {
    volatile unsigned long spins = 0;
    while (clock() < CLOCKS_PER_SEC / 2)
        spins++;
    printf("burned %.2f s\n", (double)clock() / CLOCKS_PER_SEC);
    return 0;
}
