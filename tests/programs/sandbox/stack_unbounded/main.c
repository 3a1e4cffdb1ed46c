#include <stdio.h>

__attribute__((noinline)) static long dive(long depth) {
    volatile char frame[1024];
    frame[0] = (char)depth;
    return dive(depth + 1) + frame[0];
}

/* Recurses until something stops it. */
int main(void) {
    printf("%ld\n", dive(0));
    return 0;
}
