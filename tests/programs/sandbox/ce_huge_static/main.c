/* An initialised 2 GiB array: the object file alone would be 2 GiB. */
static char big[2UL << 30] = {1};

int main(void) { return big[12345]; }
