// Locates the built provider executable. Tests that drive the real binary need `npm run build`
// first (`npm test` does it); they fail with this message instead of an obscure spawn error.
import { accessSync, constants } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DIST_DIR = join(REPO_ROOT, "dist");
export const PROVIDER_BINARY = join(DIST_DIR, "terraform-provider-aws");

export function providerBinary(): string {
  for (const file of [PROVIDER_BINARY, join(DIST_DIR, "provider.mjs")]) {
    try {
      accessSync(file, file === PROVIDER_BINARY ? constants.X_OK : constants.R_OK);
    } catch {
      throw new Error(`${file} is missing or not executable: run \`npm run build\` before these tests (\`npm test\` does it).`);
    }
  }
  return PROVIDER_BINARY;
}
