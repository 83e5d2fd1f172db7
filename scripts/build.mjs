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

// grpc-js loads @grpc/proto-loader only to serve channelz and ORCA, which this provider never
// registers; leaving it out of the bundle saves parsing ~0.5 MB at every start.
const withoutProtoLoader = {
  name: "without-proto-loader",
  setup(b) {
    b.onResolve({ filter: /^@grpc\/proto-loader$/ }, () => ({ path: "proto-loader", namespace: "stub" }));
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents: "throw new Error('@grpc/proto-loader is not bundled: channelz and ORCA are unavailable');",
      loader: "js",
    }));
  },
};

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
  // Less to parse at start-up; names are kept so crash traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  plugins: [withoutProtoLoader],
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
await writeFile(
  launcher,
  '#!/bin/sh\nexec node --enable-source-maps --no-warnings --max-semi-space-size=2 --max-old-space-size=128 "$(dirname "$0")/provider.mjs" "$@"\n',
);
await chmod(launcher, 0o755);

const old = join(root, "dist.old");
await rm(old, { recursive: true, force: true });
await rename(finalDist, old).catch((err) => {
  if (err.code !== "ENOENT") throw err;
});
await rename(dist, finalDist);
await rm(old, { recursive: true, force: true });
