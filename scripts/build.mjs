// Bundles the provider and the emulator with esbuild: one file each, so start-up does not walk
// node_modules. The AWS SDK is split into a chunk that is loaded only when a resource first
// calls IAM. The launcher `dist/terraform-provider-aws` is the dev_overrides target.
import { build } from "esbuild";
import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const finalDist = join(root, "dist");
// Build beside dist/ and swap it in, so a Terraform run using dist/ never sees it half-written.
const dist = join(root, "dist.new");

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

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
  outdir: dist,
  // Less to parse at start-up. Identifiers are not minified, so crash traces keep their names
  // without keepNames, whose wrapper runs each time a closure is made (~70 ms per 1,000 resources).
  minifyWhitespace: true,
  minifySyntax: true,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  // Bundled CommonJS dependencies still call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

await build({
  ...common,
  entryPoints: { provider: join(root, "src/main.ts"), emulator: join(root, "src/emulator/main.ts") },
});

const launcher = join(dist, "terraform-provider-aws");
// exec, so that the process Terraform started is node itself and its signals reach it. A small
// young generation and a bounded old one keep a provider process under 100 MB even while it
// applies a thousand credentials (it holds no state between calls; the heap is mostly garbage).
// Reading the source maps costs every start ~30 ms, so traces point into src/ only when
// Terraform was asked for logs. The directory is cut from $0 without forking `dirname`.
await writeFile(
  launcher,
  `#!/bin/sh
case $0 in */*) dir=\${0%/*} ;; *) dir=$(dirname "$(command -v "$0")") ;; esac
maps=
[ -n "$TF_LOG$TF_LOG_PROVIDER" ] && maps=--enable-source-maps
exec node $maps --no-warnings --max-semi-space-size=2 --max-old-space-size=128 "$dir/provider.mjs" "$@"
`,
);
await chmod(launcher, 0o755);

const old = join(root, "dist.old");
await rm(old, { recursive: true, force: true });
await rename(finalDist, old).catch((err) => {
  if (err.code !== "ENOENT") throw err;
});
await rename(dist, finalDist);
await rm(old, { recursive: true, force: true });
