// Output validator: input answer feedback_dir < team output; exit 42 accepts, 43 rejects.
#include <fstream>

#include "sumcheck.h"

int main(int argc, char **argv) {
    if (argc < 4) return 1;
    std::ifstream answer(argv[2]);
    long long expected = 0, got = 0;
    answer >> expected;
    std::string why;
    if (!read_single(std::cin, got, why)) return verdict(argv[3], false, why);
    return verdict(argv[3], got == expected, got == expected ? "pieces fit" : "wrong sum");
}
