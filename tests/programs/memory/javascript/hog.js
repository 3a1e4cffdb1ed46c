const chunks = [];
for (;;) chunks.push(new Array(1 << 16).fill(chunks.length));
