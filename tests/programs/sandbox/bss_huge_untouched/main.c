#include <stdio.h>

static char big[1UL << 30];

/* A 1 GiB zero-initialised global, of which only a few bytes are used. */
int main(void) {
    big[0] = 1;
    big[sizeof big - 1] = 2;
    printf("sum %d\n", big[0] + big[sizeof big - 1]);
    return 0;
}
