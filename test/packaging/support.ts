// Helpers for the packaging tests: run a command, run terraform with a given CLI configuration,
// build the release with `npm run package` unless its output is newer than every input, and
// read a zip archive back.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { PROVIDER_VERSION } from "../../src/version.ts";
import { REPO_ROOT } from "../support/dist.ts";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function describeRun(what: string, r: RunResult): string {
  return `${what} exited ${r.code}\n--- stdout ---\n${r.stdout.slice(-6000)}\n--- stderr ---\n${r.stderr.slice(-6000)}`;
}

/** Runs terraform in `cwd`; throws with its output unless the exit code is one of `ok`. */
export async function terraform(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[], ok: readonly number[] = [0]): Promise<RunResult> {
  const r = await run("terraform", [...args, "-no-color"], { cwd, env });
  if (!ok.includes(r.code)) throw new Error(describeRun(`terraform ${args.join(" ")}`, r));
  return r;
}

/** The parent's environment without Terraform, plugin or AWS settings that would change a run. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(TF_|PLUGIN_|AWS_)/.test(k)) env[k] = v;
  return { ...env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...extra };
}

export function terraformPlatform(): string {
  const os = ({ linux: "linux", darwin: "darwin", win32: "windows" } as Record<string, string>)[process.platform] ?? process.platform;
  const arch = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[process.arch] ?? process.arch;
  return `${os}_${arch}`;
}

export const VERSION = PROVIDER_VERSION;
export const MIRROR_DIR = join(REPO_ROOT, "build", "mirror");
export const MIRROR_PROVIDER_DIR = join(MIRROR_DIR, "registry.terraform.io", "hashicorp", "aws");
export const ZIP_NAME = `terraform-provider-aws_${VERSION}_${terraformPlatform()}.zip`;
export const EXECUTABLE_NAME = `terraform-provider-aws_v${VERSION}`;
export const SEA_EXECUTABLE = join(REPO_ROOT, "build", "sea", terraformPlatform(), EXECUTABLE_NAME);

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Builds the release with `npm run package`, unless its output is newer than all its inputs. */
export async function ensurePackaged(): Promise<{ rebuilt: boolean; log: string }> {
  const zip = join(MIRROR_PROVIDER_DIR, ZIP_NAME);
  const inputs = [join(REPO_ROOT, "src"), join(REPO_ROOT, "scripts", "package.mjs"), join(REPO_ROOT, "scripts", "zip.mjs"), join(REPO_ROOT, "package-lock.json")];
  const outputs = [zip, SEA_EXECUTABLE, join(MIRROR_PROVIDER_DIR, `terraform-provider-aws_${VERSION}_SHA256SUMS`)];
  if (outputs.every((f) => existsSync(f))) {
    const oldestOutput = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
    if (oldestOutput > Math.max(...inputs.map(newestMtime))) return { rebuilt: false, log: "" };
  }
  const r = await run("npm", ["run", "--silent", "package"]);
  if (r.code !== 0) throw new Error(describeRun("npm run package", r));
  return { rebuilt: true, log: r.stdout };
}

export const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

export async function sha256File(path: string): Promise<string> {
  return sha256(await readFile(path));
}

/**
 * Terraform's "h1:" package hash of an unpacked provider directory (golang.org/x/mod dirhash
 * Hash1): sha256 over the lines "<sha256 of file>  <name>\n" in name order, base64.
 */
export async function h1Hash(files: { name: string; path: string }[]): Promise<string> {
  const lines = await Promise.all([...files].sort((a, b) => (a.name < b.name ? -1 : 1)).map(async (f) => `${await sha256File(f.path)}  ${f.name}\n`));
  return `h1:${createHash("sha256").update(lines.join("")).digest("base64")}`;
}

export interface ZipEntryInfo {
  name: string;
  /** The "version made by" host: 3 is UNIX. */
  host: number;
  method: number;
  crc: number;
  /** Unix mode from the external attributes. */
  mode: number;
  data: Buffer;
}

/** Reads a zip without ZIP64 or data descriptors (what scripts/zip.mjs writes). */
export function readZip(zip: Buffer): ZipEntryInfo[] {
  const end = zip.length - 22;
  if (zip.readUInt32LE(end) !== 0x06054b50) throw new Error("no end-of-central-directory record where expected");
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const entries: ZipEntryInfo[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory header at ${p}`);
    const nameLength = zip.readUInt16LE(p + 28);
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const local = zip.readUInt32LE(p + 42);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header at ${local}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressedSize);
    entries.push({
      name: zip.toString("utf8", p + 46, p + 46 + nameLength),
      host: zip.readUInt16LE(p + 4) >> 8,
      method,
      crc: zip.readUInt32LE(p + 16),
      mode: zip.readUInt32LE(p + 38) >>> 16,
      data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw),
    });
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return entries;
}
