#include <bits/stdc++.h>
using namespace std;

// Longest increasing subsequence in O(n log n), then the count of distinct values.
int main() {
    int n;
    cin >> n;
    vector<long long> values(n);
    for (int i = 0; i < n; i++) cin >> values[i];
    vector<long long> tails;
    for (long long x : values) {
        auto it = lower_bound(tails.begin(), tails.end(), x);
        if (it == tails.end()) tails.push_back(x);
        else *it = x;
    }
    set<long long> distinct(values.begin(), values.end());
    long long best = 0;
    for (long long x : distinct) best = max(best, x);
    printf("%d %d %lld\n", (int)tails.size(), (int)distinct.size(), best);
    return 0;
}
