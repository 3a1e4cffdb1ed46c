#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void accept(void) { exit(42); }

static void reject(const char *dir, const char *why) {
    char path[4096];
    snprintf(path, sizeof path, "%s/judgemessage.txt", dir);
    FILE *f = fopen(path, "w");
    if (f) { fputs(why, f); fclose(f); }
    exit(43);
}
