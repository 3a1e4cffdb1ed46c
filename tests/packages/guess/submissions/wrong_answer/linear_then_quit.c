/* Guesses 1, 2, ... and runs out of guesses; exits at once after the rejection. */
#include <stdio.h>
#include <string.h>
int main(void) {
    char reply[16];
    for (int g = 1; ; g++) {
        printf("%d\n", g);
        fflush(stdout);
        if (scanf("%15s", reply) != 1 || strcmp(reply, "correct") == 0) return 0;
    }
}
