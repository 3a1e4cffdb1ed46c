chunks = []
while True:
    chunks.append([len(chunks)] * 100000)
