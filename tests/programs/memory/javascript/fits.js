const rows = [];
for (let r = 0; r < 12; r++) rows.push(new Array(1 << 19).fill(r));  // about 48 MiB of heap
console.log("ok " + rows.length * 4);
