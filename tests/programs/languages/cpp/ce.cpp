#include <vector>
int main(){std::vector<int> v=1.5;auto [a]=v;}
