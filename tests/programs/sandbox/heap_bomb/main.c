#include <stdio.h>
#include <stdlib.h>

#define BLOCK (1UL << 20)

/* Allocates and touches 1 MiB at a time, forever. */
int main(void) {
    for (long mib = 0;; mib++) {
        /* volatile, so the compiler can't drop writes to memory nobody reads */
        volatile char *block = malloc(BLOCK);
        if (block == NULL) {
            printf("malloc failed after %ld MiB\n", mib);
            return 1;
        }
        for (size_t at = 0; at < BLOCK; at += 4096)
            block[at] = 1;
    }
}
