#include <stdio.h>

/* Adds up the hard way, 300 times over, so the slowest accepted time is well above the noise. */
int main(void) {
    long long n, total = 0;
    if (scanf("%lld", &n) != 1) return 1;
    for (volatile int round = 0; round < 300; round++) {
        total = 0;
        for (volatile long long i = 1; i <= n; i++) total += i;
    }
    printf("%lld\n", total);
    return 0;
}
