n = int(input())
a = list(map(int, input().split()))
d = []
for v in a:
    lo, hi = 0, len(d)
    while lo < hi:
        mid = (lo + hi) // 2
        if d[mid] < v:
            lo = mid + 1
        else:
            hi = mid
    if lo == len(d):
        d.append(v)
    else:
        d[lo] = v
seen = {}
for v in a:
    seen[v] = seen.get(v, 0) + 1
print(len(d), len(seen), max(a))
