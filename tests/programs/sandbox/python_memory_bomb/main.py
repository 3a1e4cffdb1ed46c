# bytes objects are filled in, so every MiB is really touched.
hoard = []
while True:
    hoard.append(b"x" * (1 << 20))
