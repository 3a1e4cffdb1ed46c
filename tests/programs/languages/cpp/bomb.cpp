#include <thread>
#include <vector>
#include <chrono>
#include <cstdio>
int main(){int n=0;try{for(;;){std::thread([]{std::this_thread::sleep_for(std::chrono::seconds(100));}).detach();n++;}}catch(...){std::printf("refused after %d\n",n);}return 0;}
