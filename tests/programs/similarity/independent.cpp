#include <cstdio>
#include <algorithm>
#include <map>

static long long a[200005], d[200005];

int main(void) {
    int n, len = 0;
    if (scanf("%d", &n) != 1) return 0;
    std::map<long long, int> seen;
    long long mx = 0;
    for (int i = 1; i <= n; ++i) {
        scanf("%lld", &a[i]);
        seen[a[i]]++;
        if (a[i] > mx) mx = a[i];
        int lo = 0, hi = len;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (d[mid] < a[i]) lo = mid + 1; else hi = mid;
        }
        d[lo] = a[i];
        if (lo == len) len++;
    }
    printf("%d %d %lld\n", len, (int)seen.size(), mx);
}
