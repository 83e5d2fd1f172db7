// Preloaded into the provider by a test (NODE_OPTIONS=--require): when the handshake line is
// written, reports on stderr which of Node's built-in modules had been loaded by then.
const write = process.stdout.write.bind(process.stdout);
let reported = false;
process.stdout.write = (...args) => {
  if (!reported) {
    reported = true;
    const builtins = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice("NativeModule ".length));
    process.stderr.write(`builtins-at-handshake ${JSON.stringify(builtins)}\n`);
  }
  return write(...args);
};
