// Helpers for the packaging tests: run a command, run terraform with a given CLI configuration,
// build a mirror with `npm run package` (for an address and version) unless its output is newer
// than every input, and read a zip archive back.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { IAMClient } from "@aws-sdk/client-iam";
import { startEmulator, type Emulator } from "../../src/emulator/index.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { PROVIDER_VERSION } from "../../src/version.ts";
import { REPO_ROOT } from "../support/dist.ts";
import { OFFICIAL_PROVIDER_ADDRESS, OWN_PROVIDER_ADDRESS } from "../../src/provider-address.ts";

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

/** The Node.js version the single executable embeds (scripts/sea-node.json). */
export const PINNED_NODE: string = (
  JSON.parse(readFileSync(join(REPO_ROOT, "scripts", "sea-node.json"), "utf8")) as { platforms: Record<string, { version: string }> }
).platforms[terraformPlatform()]!.version;

/** One mirror that `npm run package` lays out: an address at a version, in its own directory. */
export interface MirrorBuild {
  readonly address: string;
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
  readonly version: string;
  /** The mirror's root, as a CLI configuration's filesystem_mirror path. */
  readonly dir: string;
  /** Where the zip, SHA256SUMS and manifest are. */
  readonly providerDir: string;
  readonly zipName: string;
  readonly executableName: string;
  /** The single executable before it was zipped. */
  readonly seaExecutable: string;
}

export function mirrorBuild(address: string, version: string = VERSION, dir?: string): MirrorBuild {
  const [host, namespace, type] = address.split("/") as [string, string, string];
  const root = dir ?? join(REPO_ROOT, "build", "test-mirrors", `${host}_${namespace}_${type}_${version}`);
  const executableName = `terraform-provider-${type}_v${version}`;
  return {
    address,
    host,
    namespace,
    type,
    version,
    dir: root,
    providerDir: join(root, host, namespace, type),
    zipName: `terraform-provider-${type}_${version}_${terraformPlatform()}.zip`,
    executableName,
    seaExecutable: join(REPO_ROOT, "build", "sea", terraformPlatform(), host, namespace, type, version, executableName),
  };
}

/** What `npm run package` builds with no options: the provider's own address and version, in build/mirror. */
export const DEFAULT_MIRROR = mirrorBuild(OWN_PROVIDER_ADDRESS, VERSION, join(REPO_ROOT, "build", "mirror"));
/** The drop-in build under the official provider's address, at this provider's version. */
export const DROP_IN_MIRROR = mirrorBuild(OFFICIAL_PROVIDER_ADDRESS, VERSION);
/** The drop-in build offered as 6.25.0, a version configurations pin the official provider to. */
export const PINNED_MIRROR = mirrorBuild(OFFICIAL_PROVIDER_ADDRESS, "6.25.0");

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Holds a directory lock while `fn` runs: test files run in parallel workers and may want the same mirror. */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(REPO_ROOT, "build", "test-mirrors", `.${name}.lock`);
  mkdirSync(join(REPO_ROOT, "build", "test-mirrors"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      // A lock older than any packaging run was left by a killed worker.
      if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds a mirror with `npm run package`, unless its output is newer than all its inputs. */
export async function ensurePackaged(build: MirrorBuild = DEFAULT_MIRROR): Promise<{ rebuilt: boolean; log: string }> {
  return withLock(`${build.host}_${build.namespace}_${build.type}_${build.version}`, async () => {
    const zip = join(build.providerDir, build.zipName);
    const inputs = ["src", "scripts/package.mjs", "scripts/zip.mjs", "scripts/sea-node.mjs", "scripts/sea-node.json", "package-lock.json"].map((p) =>
      join(REPO_ROOT, p),
    );
    const outputs = [zip, build.seaExecutable, join(build.providerDir, `terraform-provider-${build.type}_${build.version}_SHA256SUMS`)];
    if (outputs.every((f) => existsSync(f))) {
      const oldestOutput = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
      if (oldestOutput > Math.max(...inputs.map(newestMtime))) return { rebuilt: false, log: "" };
    }
    const r = await run("npm", ["run", "--silent", "package", "--", "--address", build.address, "--version", build.version, "--out", build.dir]);
    if (r.code !== 0) throw new Error(describeRun("npm run package", r));
    return { rebuilt: true, log: r.stdout };
  });
}

/** Builds each mirror that is out of date, and shows what `npm run package` printed for it. */
export async function ensureMirrors(builds: readonly MirrorBuild[]): Promise<void> {
  for (const build of builds) {
    const packaged = await ensurePackaged(build);
    if (packaged.rebuilt) console.log(`npm run package (${build.address} ${build.version}):\n${packaged.log}`);
  }
}

/** A CLI configuration that installs each address from its own mirror, and nothing from anywhere else. */
export function mirrorsCliConfig(builds: readonly MirrorBuild[]): string {
  const blocks = builds.map((b) => `  filesystem_mirror {\n    path    = ${JSON.stringify(b.dir)}\n    include = [${JSON.stringify(b.address)}]\n  }\n`);
  return `provider_installation {\n${blocks.join("")}}\n`;
}

export interface StateFile {
  resources: { mode: string; type: string; name: string; provider: string; instances: { attributes: Record<string, unknown> }[] }[];
}

/**
 * A working directory whose CLI configuration installs from the given mirrors and nothing else,
 * with a `terraform` runner and the local backend's state at state/terraform.tfstate.
 */
export async function mirrorWorkspace(prefix: string, cliConfig: string) {
  const root = await mkdtemp(join(tmpdir(), prefix));
  await writeFile(join(root, "terraformrc"), cliConfig);
  const work = join(root, "work");
  await mkdir(work);
  // A proxy that refuses every connection: any attempt to reach a registry fails.
  const env = cleanEnv({
    TF_CLI_CONFIG_FILE: join(root, "terraformrc"),
    HTTPS_PROXY: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    TF_AWS_IAM_PROPAGATION_TIMEOUT: "10",
  });
  // Options go before the positional arguments, which `terraform import` insists on.
  const tf = async ([command, ...rest]: string[], ok: number[] = [0]): Promise<RunResult> => {
    const r = await run("terraform", [command!, "-no-color", "-input=false", ...rest], { cwd: work, env });
    if (!ok.includes(r.code)) throw new Error(describeRun(`terraform ${command} ${rest.join(" ")}`, r));
    return r;
  };
  const statePath = join(work, "state", "terraform.tfstate");
  const state = async (): Promise<StateFile> => JSON.parse(await readFile(statePath, "utf8")) as StateFile;
  return { root, work, env, tf, state, statePath };
}

export interface MirrorLab {
  readonly emulator: Emulator;
  readonly iam: IAMClient;
  /** A mirror workspace (see mirrorWorkspace), removed by close(). */
  workspace(prefix: string, builds: readonly MirrorBuild[]): ReturnType<typeof mirrorWorkspace>;
  close(): Promise<void>;
}

/** What the mirror acceptance tests start with: their mirrors built, an emulator, an IAM client for it. */
export async function startMirrorLab(builds: readonly MirrorBuild[]): Promise<MirrorLab> {
  await ensureMirrors(builds);
  const emulator = await startEmulator();
  const iam = new IAMClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  const roots: string[] = [];
  return {
    emulator,
    iam,
    async workspace(prefix, mirrors) {
      const w = await mirrorWorkspace(prefix, mirrorsCliConfig(mirrors));
      roots.push(w.root);
      return w;
    },
    async close() {
      iam.destroy();
      await emulator.close();
      for (const root of roots) await rm(root, { recursive: true, force: true });
    },
  };
}

/** A provider block for the embedded emulator: any keys, no STS check, its URL for IAM and STS. */
export function emulatorProviderBlock(name: string, url: string): string {
  return `provider "${name}" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  endpoints {
    iam = "${url}"
    sts = "${url}"
  }
}
`;
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
