import sys

line = "flood " * 100 + "\n"
while True:
    sys.stdout.write(line)
