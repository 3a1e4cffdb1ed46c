int main() { return 3; }  // ends with an error before guessing anything
