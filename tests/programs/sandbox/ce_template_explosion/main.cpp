// 2^40 distinct instantiations, each within the depth limit: only the compile limits can stop this.
template <int N, long long M> struct Tree {
    static const long long value = Tree<N - 1, 2 * M>::value + Tree<N - 1, 2 * M + 1>::value;
};
template <long long M> struct Tree<0, M> {
    static const long long value = M;
};

int main() { return (int)Tree<40, 0>::value; }
