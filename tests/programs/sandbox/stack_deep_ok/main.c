#include <stdio.h>

/* Each frame holds 1 KiB, so depth 100 * 1024 uses about 100 MiB of stack. */
__attribute__((noinline)) static long dive(long depth) {
    volatile char frame[1024];
    frame[0] = (char)depth;
    frame[sizeof frame - 1] = (char)depth;
    if (depth == 0)
        return frame[0];
    return dive(depth - 1) + frame[sizeof frame - 1];
}

int main(void) {
    long depth = 100L * 1024;
    printf("depth %ld sum %ld\n", depth, dive(depth) & 0xff);
    return 0;
}
