import sys
from bisect import bisect_left
def solve():
    # read everything
    tokens = sys.stdin.read().split()
    size = int(tokens[0])
    nums = [int(t) for t in tokens[1 : 1 + size]]
    stack = []
    for item in nums:
        where = bisect_left(stack, item)
        if where == len(stack):
            stack.append(item)    # grow
        else:
            stack[where] = item
    uniq = set(nums)
    top = max(nums) if nums else 0
    print(len(stack), len(uniq), top)
if __name__ == '__main__':
    solve()
