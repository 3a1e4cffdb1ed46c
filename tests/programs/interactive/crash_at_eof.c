/* Reads until the interactor has gone, then crashes. */
#include <stdio.h>
int main(void) {
    char line[64];
    while (fgets(line, sizeof line, stdin)) continue;
    return 3;
}
