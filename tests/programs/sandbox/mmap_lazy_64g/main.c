#include <stdio.h>
#include <sys/mman.h>

/* Reserves 64 GiB of address space but touches a single page of it. */
int main(void) {
    size_t size = 64UL << 30;
    char *area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (area == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    area[size / 2] = 42;
    printf("touched one page of 64 GiB: %d\n", area[size / 2]);
    return 0;
}
