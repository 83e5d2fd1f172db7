// Builds the bench's null provider (bench/null-provider.ts): src/main.ts with
// bench/null-provider.ts in place of src/provider-implementation.ts, as a launcher build in
// build/null-provider/dist/ and, with --sea, a single executable on the pinned Node.js in
// build/null-provider/sea/. Nothing of it reaches dist/ or a mirror.
//
// Usage: node scripts/null-provider-build.mjs [--sea]   prints the launcher (and executable) path
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildProvider } from "./build.mjs";
import { buildSea, terraformPlatform } from "./package.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const NULL_PROVIDER_DIST = join(root, "build", "null-provider", "dist");
export const NULL_PROVIDER_SEA = join(root, "build", "null-provider", "sea", "terraform-provider-aws");

/** An esbuild plugin that resolves src/provider-implementation.ts to bench/null-provider.ts. */
export const nullProviderPlugin = {
  name: "null-provider",
  setup(build) {
    build.onResolve({ filter: /\/provider-implementation\.ts$/ }, () => ({ path: join(root, "bench", "null-provider.ts") }));
  },
};

export async function buildNullProvider() {
  await buildProvider({ outDir: NULL_PROVIDER_DIST, emulator: false, plugins: [nullProviderPlugin] });
  return join(NULL_PROVIDER_DIST, "terraform-provider-aws");
}

export async function buildNullSea() {
  const workDir = dirname(NULL_PROVIDER_SEA);
  await mkdir(workDir, { recursive: true });
  await buildSea(workDir, NULL_PROVIDER_SEA, { address: "registry.terraform.io/hashicorp/aws", version: "0.0.0" }, terraformPlatform(), [nullProviderPlugin]);
  return NULL_PROVIDER_SEA;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${await buildNullProvider()}\n`);
  if (process.argv.includes("--sea")) process.stdout.write(`${await buildNullSea()}\n`);
}
