#include <cstdio>

#include "sumcheck.h"

bool read_single(std::istream &in, long long &value, std::string &why) {
    if (!(in >> value)) {
        why = "expected an integer";
        return false;
    }
    std::string extra;
    if (in >> extra) {
        why = "more than one token";
        return false;
    }
    return true;
}

int verdict(const std::string &feedback_dir, bool accepted, const std::string &message) {
    if (FILE *f = std::fopen((feedback_dir + "/judgemessage.txt").c_str(), "w")) {
        std::fputs(message.c_str(), f);
        std::fclose(f);
    }
    return accepted ? 42 : 43;
}
