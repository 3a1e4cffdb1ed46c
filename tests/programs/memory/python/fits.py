block = bytearray(b"x") * (48 << 20)
print("ok", len(block) >> 20)
