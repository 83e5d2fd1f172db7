// Preloaded into the provider by a test (NODE_OPTIONS=--require): when the handshake line is
// written (straight to file descriptor 1, src/transport/serve.ts), reports on stderr which of
// Node's built-in modules had been loaded by then.
const fs = require("node:fs");
const writeSync = fs.writeSync;
let reported = false;
fs.writeSync = (fd, ...rest) => {
  if (fd === 1 && !reported) {
    reported = true;
    const builtins = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice("NativeModule ".length));
    process.stderr.write(`builtins-at-handshake ${JSON.stringify(builtins)}\n`);
  }
  return writeSync(fd, ...rest);
};
// The launcher is an ES module: its `import { writeSync }` sees the patch only once synced.
require("node:module").syncBuiltinESMExports();
