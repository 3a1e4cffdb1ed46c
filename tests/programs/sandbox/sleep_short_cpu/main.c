#include <stdio.h>
#include <unistd.h>

int main(void) {
    usleep(700 * 1000);
    puts("woke");
    return 0;
}
