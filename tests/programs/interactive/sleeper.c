/* Never reads, never writes: waits forever. */
#include <unistd.h>
int main(void) {
    for (;;) pause();
}
