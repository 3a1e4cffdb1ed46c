import sys

a, b = map(int, sys.stdin.readline().split())
sys.exit(42 if abs(a) <= 10**9 and abs(b) <= 10**9 else 43)
