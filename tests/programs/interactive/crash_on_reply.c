/* Reads the interactor's first line and crashes before answering it. */
#include <stdio.h>
int main(void) {
    char line[64];
    if (fgets(line, sizeof line, stdin)) return 3;
    return 0;
}
