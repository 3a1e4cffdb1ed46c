// Shared by the two files of the validator: reading the team's output, writing the verdict.
#pragma once
#include <iostream>
#include <string>

bool read_single(std::istream &in, long long &value, std::string &why);

int verdict(const std::string &feedback_dir, bool accepted, const std::string &message);
