#include <iostream>
#include <vector>

int main() {
    long long a, b;
    std::cin >> a >> b;
    std::vector<long long> sums;
    std::cout << sums.at(0) + a + b << "\n";  // out of range: throws, then aborts
}
