/**
 * How the single executable loads src/provider-implementation.ts after the handshake. The
 * executable's main script holds only what the handshake needs; the implementation (framework,
 * resources, the AWS SDK) is a second bundle stored in the executable as an asset, with a V8
 * code cache made by the same pinned Node.js (scripts/package.mjs). With one bundle, every
 * start paid for reading, deserializing and evaluating all of it before the handshake line.
 *
 * Modules both bundles contain are taken from the main script (`shared`, by source path), so
 * there is one of each: one logger redactor, which must know every secret.
 */
import { getAsset } from "node:sea";
import { Script } from "node:vm";

export const IMPLEMENTATION_ASSET = "implementation.cjs";
export const IMPLEMENTATION_CACHE_ASSET = "implementation.cache";
/** How the implementation bundle names a module it takes from the main script. */
export const SHARED_MODULE_PREFIX = "provider-shared:";

type Implementation = typeof import("./provider-implementation.ts");

/** The implementation bundle as the asset holds it: a CommonJS module wrapper around it. */
export function wrapImplementation(bundle: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${bundle}\n})`;
}

export function loadSeaImplementation(shared: Readonly<Record<string, object>>): Implementation {
  // The asset is already wrapped (wrapImplementation): the text the cache was made from.
  const script = new Script(getAsset(IMPLEMENTATION_ASSET, "utf8"), {
    filename: IMPLEMENTATION_ASSET,
    cachedData: Buffer.from(getAsset(IMPLEMENTATION_CACHE_ASSET)),
  });
  const module = { exports: {} as Implementation };
  const requireShared = (id: string): unknown => {
    if (!id.startsWith(SHARED_MODULE_PREFIX)) return require(id);
    const found = shared[id.slice(SHARED_MODULE_PREFIX.length)];
    if (!found) throw new Error(`the single executable's main script does not hold ${id}`);
    return found;
  };
  // The main script's own file names: bundled CommonJS packages (openpgp) read them.
  const run = script.runInThisContext() as (exports: object, require: (id: string) => unknown, module: object, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, requireShared, module, __filename, __dirname);
  return module.exports;
}
