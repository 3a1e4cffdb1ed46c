/* Interactor: leaves a report of as many bytes as its input file says in its feedback dir (a long
 * report takes its box a while to send back after it ended), then says "no" and rejects at once. */
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    char path[512];
    long size = 0;
    FILE *input = fopen(argv[1], "r");
    if (!input || fscanf(input, "%ld", &size) != 1) return 1;
    snprintf(path, sizeof path, "%sreport.txt", argv[3]);
    FILE *report = fopen(path, "w");
    for (long i = 0; i < size; i++) fputc('.', report);
    fclose(report);
    snprintf(path, sizeof path, "%sjudgemessage.txt", argv[3]);
    FILE *feedback = fopen(path, "w");
    fputs("rejected at once", feedback);
    fclose(feedback);
    puts("no");
    fflush(stdout);
    return 43;
}
