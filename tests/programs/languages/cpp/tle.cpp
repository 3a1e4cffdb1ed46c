#include <atomic>
int main(){std::atomic<unsigned long> n{0};for(;;)n++;}
