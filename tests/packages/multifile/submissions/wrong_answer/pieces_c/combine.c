long long combine(long long a, long long b) { return a - b; /* subtracts by mistake */ }
