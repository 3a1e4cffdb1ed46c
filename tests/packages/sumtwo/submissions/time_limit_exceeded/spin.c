#include <stdio.h>

int main(void) {
    volatile unsigned long long spins = 0;
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    for (;;) spins++;  /* never answers */
    printf("%lld\n", a + b);
    return 0;
}
