// Imports a TypeScript module of src/ from a plain .mjs script on Node 20, which cannot load .ts
// files itself: esbuild bundles it to a temporary file beside node_modules, which is imported and
// removed. The scripts use it to share rules with the provider (its address rules, for one)
// instead of keeping a second copy.
import { build } from "esbuild";
import { mkdir, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function importTs(path) {
  const outDir = join(root, "node_modules", ".cache", "import-ts");
  await mkdir(outDir, { recursive: true });
  const outfile = join(outDir, `${basename(path, ".ts")}-${process.pid}-${Date.now()}.mjs`);
  try {
    await build({
      entryPoints: [join(root, path)],
      outfile,
      bundle: true,
      packages: "external",
      platform: "node",
      target: "node20",
      format: "esm",
      logLevel: "warning",
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    await rm(outfile, { force: true });
  }
}
