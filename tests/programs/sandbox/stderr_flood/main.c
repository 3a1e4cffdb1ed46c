#include <string.h>
#include <unistd.h>

/* Writes to stderr forever, ignoring errors. */
int main(void) {
    static char line[4096];
    memset(line, 'e', sizeof line);
    for (;;)
        write(2, line, sizeof line);
}
