#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void *idle(void *arg) {
    (void)arg;
    pause();
    return NULL;
}

/* Starts sleeping threads until the kernel refuses, then reports how many it got. */
int main(void) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    for (int made = 0; made < 10000; made++) {
        pthread_t thread;
        int err = pthread_create(&thread, &attr, idle, NULL);
        if (err != 0) {
            printf("pthread_create refused after %d threads: %s\n", made, strerror(err));
            fflush(stdout);
            _exit(made < 32 ? 0 : 1);
        }
    }
    puts("ESCAPED: made 10000 threads");
    return 1;
}
