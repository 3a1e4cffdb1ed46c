/* An initialised 2 GiB array with external linkage, so it can't be optimised away:
   the object file alone would be 2 GiB. */
char big[2UL << 30] = {1};

int main(int argc, char **argv) {
    (void)argv;
    return big[argc * 12345];
}
