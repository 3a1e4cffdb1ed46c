/* Answers every number with its double, until the interactor is done. */
#include <stdio.h>
int main(void) {
    long x;
    while (scanf("%ld", &x) == 1) {
        printf("%ld\n", 2 * x);
        fflush(stdout);
    }
    return 0;
}
