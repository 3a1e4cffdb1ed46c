#include <signal.h>
#include <stdio.h>

int main(void) {
    puts("stopping");
    fflush(stdout);
    raise(SIGSTOP);
    puts("continued");
    return 0;
}
