# Forgets that a sum can be negative: right on the samples, wrong on the secret data.
a, b = map(int, input().split())
print(abs(a + b))
