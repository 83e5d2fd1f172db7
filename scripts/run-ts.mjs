// Runs a TypeScript script of this repository on Node 20, which cannot load .ts files itself:
// import-ts.mjs bundles the script with the src/ modules it imports (npm packages stay imports,
// resolved from node_modules), and the bundle's exported `main(args, root)` is called.
//
// Usage: node scripts/run-ts.mjs scripts/SCRIPT.ts [args…]
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "./import-ts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write("usage: node scripts/run-ts.mjs scripts/SCRIPT.ts [args…]\n");
  process.exit(2);
}

try {
  const module = await importTs(relative(root, resolve(entry)));
  if (typeof module.main !== "function") throw new Error(`${entry} exports no main(args, root) function`);
  await module.main(args, root);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}
