#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Allocates and touches 1 MiB at a time, forever. */
int main(void) {
    for (long mib = 0;; mib++) {
        char *block = malloc(1 << 20);
        if (block == NULL) {
            printf("malloc failed after %ld MiB\n", mib);
            return 1;
        }
        memset(block, 1, 1 << 20);
    }
}
