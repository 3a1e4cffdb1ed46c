#include <string.h>
#include <unistd.h>

/* Writes to stdout forever, ignoring errors. */
int main(void) {
    static char line[4096];
    memset(line, 'y', sizeof line);
    for (;;)
        write(1, line, sizeof line);
}
