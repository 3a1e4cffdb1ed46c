# Interactor: asks for the double of 0, 1, ... (as many as the input file says), thinking a little
# before each question, and accepts if every answer is right.
import sys

rounds = int(open(sys.argv[1]).read())
feedback = sys.argv[3]
for i in range(rounds):
    sum(range(100000))  # the interactor's own work: CPU time that is not the program's
    print(i, flush=True)
    line = sys.stdin.readline()
    if not line or line.split() != [str(2 * i)]:
        open(feedback + "judgemessage.txt", "w").write(f"round {i}: got {line.strip()!r}")
        sys.exit(43)
open(feedback + "judgemessage.txt", "w").write(f"{rounds} rounds")
sys.exit(42)
