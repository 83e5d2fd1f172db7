// Runs a TypeScript script of this repository on Node 20, which cannot load .ts files itself:
// esbuild bundles the script with the src/ modules it imports (npm packages stay imports,
// resolved from node_modules), and the bundle's exported `main(args, root)` is called.
//
// Usage: node scripts/run-ts.mjs scripts/SCRIPT.ts [args…]
import { build } from "esbuild";
import { mkdir, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write("usage: node scripts/run-ts.mjs scripts/SCRIPT.ts [args…]\n");
  process.exit(2);
}

// Inside node_modules, so that the bundle's package imports resolve as they do for the sources.
const outDir = join(root, "node_modules", ".cache", "run-ts");
await mkdir(outDir, { recursive: true });
const outfile = join(outDir, `${basename(entry, ".ts")}-${process.pid}.mjs`);
try {
  await build({
    entryPoints: [resolve(entry)],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    target: "node20",
    format: "esm",
    logLevel: "warning",
  });
  const module = await import(pathToFileURL(outfile).href);
  if (typeof module.main !== "function") throw new Error(`${entry} exports no main(args, root) function`);
  await module.main(args, root);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await rm(outfile, { force: true });
}
