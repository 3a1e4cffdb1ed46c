/* Given to every submission (include/default): C and C++ alike. */
static inline long long sum_of(long long a, long long b) { return a + b; }
