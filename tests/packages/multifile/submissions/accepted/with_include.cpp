#include <iostream>

#include "sumlib.h"

int main() {
    long long a, b;
    std::cin >> a >> b;
    std::cout << sum_of(a, b) << "\n";
}
