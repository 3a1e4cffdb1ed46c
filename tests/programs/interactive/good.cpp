#include <iostream>
#include <string>
int main(){ long lo=1, hi=1000000; while(true){ long m=(lo+hi)/2; std::cout<<m<<std::endl; std::string r; if(!(std::cin>>r)) return 0; if(r=="correct") return 0; if(r=="higher") lo=m+1; else hi=m-1; } }
