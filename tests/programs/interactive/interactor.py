import sys
secret = int(open(sys.argv[1]).read())
feedback = sys.argv[3]
for guesses in range(1, 31):
    line = sys.stdin.readline()
    if not line:
        open(feedback + "judgemessage.txt", "w").write("program stopped asking")
        sys.exit(43)
    g = int(line)
    if g == secret:
        print("correct", flush=True)
        open(feedback + "judgemessage.txt", "w").write(f"found in {guesses}")
        sys.exit(42)
    print("higher" if g < secret else "lower", flush=True)
open(feedback + "judgemessage.txt", "w").write("too many guesses")
sys.exit(43)
