import sys

# 900 KiB of output, a little under the 1 MiB limit.
line = "z" * 1023 + "\n"
sys.stdout.write(line * 900)
