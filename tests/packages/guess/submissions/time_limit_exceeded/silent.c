/* Never guesses: waits for the interactor forever. */
#include <stdio.h>
int main(void) {
    int x;
    return scanf("%d", &x);
}
