#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Touches 50 MiB and keeps it until exit. */
int main(void) {
    size_t size = 50UL << 20;
    char *block = malloc(size);
    memset(block, 7, size);
    long sum = 0;
    for (size_t i = 0; i < size; i += 4096)
        sum += block[i];
    printf("sum %ld\n", sum);
    return 0;
}
