// process.stdout.write to the box's pipe is asynchronous: a loop that never yields would only queue it
// in memory (TLE or MLE). writeSync is the flood that really reaches the output limit.
const fs = require("fs");
const line = "flood ".repeat(100) + "\n";
for (;;) fs.writeSync(1, line);
