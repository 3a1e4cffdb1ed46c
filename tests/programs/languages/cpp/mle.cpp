#include <vector>
#include <cstdio>
int main(){std::vector<std::vector<char>> l;for(;;)l.emplace_back(1<<20,1);}
