import sys
from bisect import bisect_left


def main():
    """Longest increasing subsequence, distinct count, maximum."""
    data = sys.stdin.read().split()
    n = int(data[0])
    values = [int(x) for x in data[1:1 + n]]
    tails = []
    for x in values:
        pos = bisect_left(tails, x)
        if pos == len(tails):
            tails.append(x)
        else:
            tails[pos] = x
    distinct = set(values)
    best = max(values) if values else 0
    print(len(tails), len(distinct), best)


if __name__ == "__main__":
    main()
