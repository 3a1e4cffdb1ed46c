/* The interactor: reads the secret from the input file, answers guesses on stdin. */
#include <stdio.h>
#include <stdlib.h>
#include "verdict.h"

int main(int argc, char **argv) {
    if (argc < 4) return 1;
    FILE *in = fopen(argv[1], "r");
    int secret;
    if (!in || fscanf(in, "%d", &secret) != 1) return 1;
    for (int tries = 0; tries < 10; tries++) {
        int guess;
        if (scanf("%d", &guess) != 1) reject(argv[3], "no guess");
        if (guess == secret) {
            printf("correct\n");
            fflush(stdout);
            accept();
        }
        printf(guess > secret ? "lower\n" : "higher\n");
        fflush(stdout);
    }
    reject(argv[3], "out of guesses");
}
