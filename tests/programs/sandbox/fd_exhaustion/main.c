#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

/* Opens /dev/null until refused; the limit it should hit comes on stdin. */
int main(void) {
    int limit, opened = 0;
    if (scanf("%d", &limit) != 1)
        return 2;
    while (opened < 100000 && open("/dev/null", O_RDONLY) >= 0)
        opened++;
    printf("open refused after %d files: %s\n", opened, strerrorname_np(errno));
    if (opened + 3 > limit) {
        printf("ESCAPED: %d descriptors with a limit of %d\n", opened + 3, limit);
        return 1;
    }
    return 0;
}
