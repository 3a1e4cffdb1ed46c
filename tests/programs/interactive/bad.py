import sys
for g in range(1, 1000001):
    print(g, flush=True)
    if sys.stdin.readline().strip() == "correct":
        break
