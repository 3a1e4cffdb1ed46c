chunks = []
loop { chunks << "x" * (1 << 20) }
