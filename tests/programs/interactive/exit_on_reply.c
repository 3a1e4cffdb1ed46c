/* Greets, reads one reply, and exits cleanly right away. */
#include <stdio.h>
int main(void) {
    char line[64];
    puts("hello");
    fflush(stdout);
    if (fgets(line, sizeof line, stdin)) return 0;
    return 0;
}
