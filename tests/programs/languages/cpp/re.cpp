#include <vector>
#include <stdexcept>
int main(){std::vector<int> v;return v.at(3);}
