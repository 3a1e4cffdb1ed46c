#include <iostream>
#include <string>
#include <vector>

int main() {
    std::vector<std::string> words{"hello", "from", "c++"};
    for (const auto &word : words)
        std::cout << word << ' ';
    std::cout << '\n';
}
