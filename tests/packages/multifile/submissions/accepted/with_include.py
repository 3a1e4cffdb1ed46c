import sumlib

a, b = map(int, input().split())
print(sumlib.sum_of(a, b))
