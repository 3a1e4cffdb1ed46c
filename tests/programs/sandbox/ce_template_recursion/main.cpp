template <int N> struct Down {
    static const int value = Down<N + 1>::value + 1;
};

int main() { return Down<0>::value; }
