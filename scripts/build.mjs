// Bundles the provider and the emulator with esbuild, so start-up does not walk node_modules.
// The provider's entry holds the transport; the framework and resources are a chunk it loads
// after the handshake line, and the AWS SDK a chunk loaded only when a resource first calls IAM.
// The launcher `dist/terraform-provider-aws` is the dev_overrides target.
import { build } from "esbuild";
import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  splitting: true,
  sourcemap: "linked",
  logLevel: "warning",
  // Prefer packages' ES module builds: they tree-shake, and their dynamic imports keep named exports.
  mainFields: ["module", "main"],
  // Less to parse at start-up. Identifiers are not minified, so crash traces keep their names
  // without keepNames, whose wrapper runs each time a closure is made (~70 ms per 1,000 resources).
  minifyWhitespace: true,
  minifySyntax: true,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  // Bundled CommonJS dependencies still call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

// exec, so that the process Terraform started is node itself and its signals reach it. No V8
// flags: on Node 20 any of them costs every start ~20 ms (src/heap-growth.ts, which keeps
// the heap small instead once the process has started).
// Reading the source maps costs every start ~30 ms, so traces point into src/ only when
// Terraform was asked for logs. The directory is cut from $0 without forking `dirname`.
export const LAUNCHER = `#!/bin/sh
case $0 in */*) dir=\${0%/*} ;; *) dir=$(dirname "$(command -v "$0")") ;; esac
maps=
[ -n "$TF_LOG$TF_LOG_PROVIDER" ] && maps=--enable-source-maps
exec node $maps --no-warnings "$dir/provider.mjs" "$@"
`;

/**
 * Builds the provider bundle (with `emulator`, the emulator's too) and its launcher into
 * `outDir`, beside it first and swapped in whole, so a Terraform run using it never sees it
 * half-written. `plugins` are esbuild's (the bench's null provider replaces a module with one).
 */
export async function buildProvider({ outDir, emulator = true, plugins = [] }) {
  const dist = `${outDir}.new`;
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  await build({
    ...common,
    outdir: dist,
    plugins,
    entryPoints: { provider: join(root, "src/main.ts"), ...(emulator ? { emulator: join(root, "src/emulator/main.ts") } : {}) },
  });
  const launcher = join(dist, "terraform-provider-aws");
  await writeFile(launcher, LAUNCHER);
  await chmod(launcher, 0o755);
  const old = `${outDir}.old`;
  await rm(old, { recursive: true, force: true });
  await rename(outDir, old).catch((err) => {
    if (err.code !== "ENOENT") throw err;
  });
  await rename(dist, outDir);
  await rm(old, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildProvider({ outDir: join(root, "dist") });
}
