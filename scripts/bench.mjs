// Start-up and throughput benchmark. Every figure is the median of several runs, next to a
// baseline measured in the same invocation on the same machine:
//   - spawn → handshake line of the dist/ launcher and the single executable (rebuilt by
//     `npm run package` when older than dist/), in plaintext (debug) and mTLS (PLUGIN_CLIENT_CERT
//     set, as Terraform always does), with only PATH and HOME in the environment, against bare
//     `node -e ""` of the same Node.js (the machine's for the launcher, the pinned one for the
//     executable), 15 interleaved runs;
//   - terraform validate/plan/apply of 1 credential, and apply/plan/destroy of 100 (and with
//     --big 1,000), for the launcher and the executable, each against three floors: as many
//     `terraform_data` (Terraform's own), size-matched `terraform_data` (as much state), and the
//     null provider of the same form (bench/null-provider.ts: any plugin with these schemas);
//   - the peak RSS of every provider process of each apply (the executables dropped from the
//     page cache first, so that their file pages count alike), and the emulator's CPU share.
// Usage: npm run bench [-- --runs 3 --big --sizes 100,1000 --parallelism 10 --startup-runs 15
//        --startup-only --no-package --extra LABEL=NODE_VERSION=PATH]
import { spawn, spawnSync } from "node:child_process";
import * as http2 from "node:http2";
import { connect as netConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "./import-ts.mjs";
import { pinnedNode, seaNode } from "./sea-node.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// --name value, or a bare --flag; --extra may repeat.
const args = {};
process.argv.slice(2).forEach((a, i, all) => {
  if (!a.startsWith("--")) return;
  const value = all[i + 1] !== undefined && !all[i + 1].startsWith("--") ? all[i + 1] : "";
  const name = a.slice(2);
  args[name] = name === "extra" ? [...(args[name] ?? []), value] : value;
});
const RUNS = Number(args.runs ?? 3);
// 1,000 credentials take most of the run: --big adds them (or name the sizes with --sizes).
const SIZES = (args.sizes ?? (args.big !== undefined ? "100,1000" : "100")).split(",").map(Number);
const PARALLELISM = Number(args.parallelism ?? 10);
const STARTUP_RUNS = Number(args["startup-runs"] ?? 15);
const COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

const terraformPlatform = () => `${{ linux: "linux", darwin: "darwin", win32: "windows" }[process.platform]}_${{ x64: "amd64", arm64: "arm64" }[process.arch]}`;
const seaNodeVersion = pinnedNode(terraformPlatform()).version;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;
const rows = [];
// value and baseline: a figure, or the samples of a Terraform command (their median is shown,
// and the samples in seconds after the verdict, so a median can be checked against them).
const row = (what, valueOrSamples, baselineOrSamples, target) => {
  const samples = [valueOrSamples, baselineOrSamples].filter(Array.isArray).map((xs) => xs.map((x) => (x / 1000).toFixed(2)).join(" "));
  const value = Array.isArray(valueOrSamples) ? median(valueOrSamples) : valueOrSamples;
  const baseline = Array.isArray(baselineOrSamples) ? median(baselineOrSamples) : baselineOrSamples;
  const ratio = baseline ? value / baseline : undefined;
  rows.push({ what, value, baseline, ratio, target });
  const verdict = target && ratio !== undefined ? (ratio <= target ? `ok (≤ ${target}×)` : `OVER (target ≤ ${target}×)`) : "";
  console.log(
    `${what.padEnd(44)} ${ms(value).padStart(10)} ${baseline ? ms(baseline).padStart(10) : "".padStart(10)} ${ratio !== undefined ? `${ratio.toFixed(2)}×`.padStart(8) : "".padStart(8)}  ${verdict}${samples.length ? `  [s: ${samples.join(" | ")}]` : ""}`,
  );
};

// --- start-up ---------------------------------------------------------------------------

// What Terraform gives a provider, and nothing else of this shell: PATH and HOME, the cookie,
// the protocol offer and, in mTLS mode, its client certificate (AutoMTLS, always on in Terraform).
function startupEnv(clientCertPem) {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    TF_PLUGIN_MAGIC_COOKIE: COOKIE,
    PLUGIN_PROTOCOL_VERSIONS: "6",
    ...(clientCertPem ? { PLUGIN_CLIENT_CERT: clientCertPem } : {}),
  };
}

/**
 * Spawn to the handshake line (`wall`), and to the end of the reply to a first
 * GetProviderSchema call over the socket it names (`schema`): the provider loads its
 * implementation after the handshake, so the second is what Terraform waits for in all.
 */
function timeToHandshake(cmd, cmdArgs, env, client) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, cmdArgs, { env, stdio: ["ignore", "pipe", "ignore"] });
    child.on("error", reject);
    child.stdout.once("data", (line) => {
      const wall = performance.now() - t0;
      const done = (schema) => {
        child.kill("SIGTERM");
        child.once("exit", () => resolve({ wall, schema }));
      };
      if (!client) return done(undefined);
      firstSchemaCall(String(line), client).then(() => done(performance.now() - t0), reject);
    });
  });
}

/** One GetProviderSchema call as go-plugin makes it: HTTP/2 on the unix socket, TLS when the line has a certificate. */
function firstSchemaCall(line, client) {
  const [, , , socketPath, , unpadded] = line.trim().split("|");
  // go-plugin's field is base64 without padding; PEM wants it back.
  const certB64 = unpadded ? unpadded + "=".repeat((4 - (unpadded.length % 4)) % 4) : "";
  return new Promise((resolve, reject) => {
    const connect = certB64
      ? () =>
          tlsConnect({
            path: socketPath,
            servername: "localhost",
            ALPNProtocols: ["h2"],
            ca: `-----BEGIN CERTIFICATE-----\n${certB64.match(/.{1,64}/g).join("\n")}\n-----END CERTIFICATE-----\n`,
            cert: client.certPem,
            key: client.keyPem,
          })
      : () => netConnect(socketPath);
    const session = http2.connect(certB64 ? "https://localhost" : "http://localhost", { createConnection: connect });
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": "/tfplugin6.Provider/GetProviderSchema", "content-type": "application/grpc", te: "trailers" });
    stream.on("error", reject);
    stream.on("data", () => {});
    stream.on("end", () => {
      session.close();
      resolve();
    });
    stream.end(Buffer.alloc(5));
  });
}

function timeToExit(cmd, cmdArgs, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, cmdArgs, { env, stdio: "ignore" });
    child.on("error", reject);
    child.once("exit", () => resolve(performance.now() - t0));
  });
}

/**
 * Spawn-to-handshake of each candidate, in both modes, `runs` rounds interleaved (one start of
 * each candidate per round) so a change in the machine's load hits all of them alike. Bare
 * `node -e ""` of each Node.js is the floor each provider is compared with.
 */
async function measureStartup(runs, candidates, floors) {
  const { createSelfSignedCertificate } = await importTs("src/transport/self-signed-certificate.ts");
  const clientCert = createSelfSignedCertificate();
  const samples = new Map();
  const add = (key, t) => samples.set(key, [...(samples.get(key) ?? []), t]);
  const addTimes = (key, { wall, schema }) => {
    add(key, wall);
    add(`schema:${key}`, schema);
  };
  for (let r = 0; r < runs; r++) {
    for (const f of floors) add(`floor:${f.label}`, await timeToExit(f.node, ["-e", ""], startupEnv()));
    for (const c of candidates) {
      addTimes(`${c.label}:plaintext`, await timeToHandshake(c.path, [], startupEnv(), {}));
      addTimes(`${c.label}:mtls`, await timeToHandshake(c.path, [], startupEnv(clientCert.certPem), clientCert));
    }
  }
  console.log(`start-up: spawn to handshake line, median of ${runs} interleaved runs, env PATH and HOME only (load: ${loadAverage()})`);
  for (const f of floors) row(`node -e "" (${f.label}), spawn to exit`, samples.get(`floor:${f.label}`));
  for (const c of candidates) {
    const floor = samples.get(`floor:${c.floor}`);
    row(`${c.label}, plaintext vs node ${c.floor}`, samples.get(`${c.label}:plaintext`), floor, c.targets?.plaintext);
    row(`${c.label}, mTLS vs node ${c.floor}`, samples.get(`${c.label}:mtls`), floor, c.targets?.mtls);
  }
  console.log("start-up to the first GetProviderSchema reply (what Terraform waits for before its first call returns)");
  for (const c of candidates) {
    const floor = samples.get(`floor:${c.floor}`);
    row(`${c.label}, plaintext, to schema reply`, samples.get(`schema:${c.label}:plaintext`), floor);
    row(`${c.label}, mTLS, to schema reply`, samples.get(`schema:${c.label}:mtls`), floor);
  }
}

/** Runs `f` with this process's stdout silenced (the package steps print their progress). */
async function quietly(f) {
  const write = process.stdout.write;
  process.stdout.write = () => true;
  try {
    return await f();
  } finally {
    process.stdout.write = write;
  }
}

function loadAverage() {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

/**
 * The single executable `npm run package` builds by default, rebuilt first when src/ is newer
 * (--no-package: use what is there, or skip it).
 */
function findSingleExecutable() {
  const version = /PROVIDER_VERSION\s*=\s*"([^"]+)"/.exec(readFileSync(join(root, "src", "version.ts"), "utf8"))[1];
  const exe = join(root, "build", "sea", terraformPlatform(), "registry.terraform.io", "iamssc", "awsssc", version, `terraform-provider-awsssc_v${version}`);
  const stale = !existsSync(exe) || statSync(exe).mtimeMs < statSync(join(root, "dist", "provider.mjs")).mtimeMs;
  if (stale && args["no-package"] === undefined) {
    const r = spawnSync(process.execPath, [join(root, "scripts", "package.mjs")], { stdio: ["ignore", "ignore", "inherit"] });
    if (r.status !== 0) throw new Error("npm run package failed");
  }
  return existsSync(exe) ? exe : undefined;
}

// --- terraform ------------------------------------------------------------------------------

// Asynchronous, so the RSS sampler keeps running while Terraform works.
function terraform(dir, tfArgs, env, onSpawn) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn("terraform", tfArgs, { cwd: dir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    onSpawn?.(child.pid);
    let out = "";
    child.stdout.on("data", (d) => (out = (out + d).slice(-4000)));
    child.stderr.on("data", (d) => (out = (out + d).slice(-4000)));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0 && !(tfArgs[0] === "plan" && code === 2)) reject(new Error(`terraform ${tfArgs.join(" ")} exited ${code}\n${out}`));
      else resolve(performance.now() - t0);
    });
  });
}

function workdir(providerDir) {
  const dir = mkdtempSync(join(tmpdir(), "tfbench-"));
  writeFileSync(
    join(dir, ".terraformrc"),
    `provider_installation {\n  dev_overrides {\n    "registry.terraform.io/hashicorp/aws" = ${JSON.stringify(providerDir)}\n  }\n  direct {}\n}\n`,
  );
  return dir;
}

function credentialsConfig(n) {
  return `resource "aws_iam_service_specific_credential" "c" {\n  count        = ${n}\n  service_name = "codecommit.amazonaws.com"\n  user_name    = "bench-\${floor(count.index / 2)}"\n}\n`;
}

function terraformDataConfig(n) {
  return `resource "terraform_data" "c" {\n  count = ${n}\n  input = "bench-\${floor(count.index / 2)}"\n}\n`;
}

// terraform_data whose state is as large as a credential's (12 values: id, and the 6-attribute
// input stored twice, as input and output). Terraform's own cost per object grows with the
// size of the state, so this is the floor for the same amount of state.
function sizeMatchedConfig(n) {
  return `resource "terraform_data" "c" {
  count = ${n}
  input = {
    service_name = "codecommit.amazonaws.com"
    user_name    = "bench-\${floor(count.index / 2)}"
    status       = "Active"
    password     = "pAsSwOrDabcdefghijklmnopqrstuvwxyz0123456789\${count.index}"
    id           = "ACCAEXAMPLE\${count.index}"
    create_date  = "2026-11-23T15:00:00Z"
  }
}
`;
}

async function startEmulatorProcess() {
  const child = spawn(process.execPath, [join(root, "dist", "emulator.mjs"), "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.stdout.on("data", (d) => {
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(d.toString());
      if (m) resolve(m[0]);
    });
  });
  return { child, url };
}

function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * Polls /proc for the provider processes Terraform `parent` starts (its children: the launcher
 * execs node, so the pid is the process's own) and keeps each one's peak resident set (VmHWM)
 * and the largest private part of it seen (RssAnon; the rest is the executable's file pages,
 * shared and clean, whose count depends on how the page cache holds the file). Returns a stop
 * function that gives the peaks in start order.
 */
function watchProviderRss(parent) {
  const peaks = new Map();
  const poll = () => {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== parent) continue;
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
        const seen = peaks.get(pid) ?? { hwm: 0, anon: 0 };
        peaks.set(pid, { hwm: Math.max(seen.hwm, kb("VmHWM")), anon: Math.max(seen.anon, kb("RssAnon")) });
      } catch {
        // the process ended between listing and reading
      }
    }
  };
  const timer = setInterval(poll, 20);
  return () => {
    clearInterval(timer);
    return [...peaks.values()];
  };
}

/**
 * Drops files from the page cache (dd's nocache flag: posix_fadvise DONTNEED, clean pages only;
 * no privileges needed). An executable's resident set counts the pages of the file it maps, and
 * the kernel maps them in the units it cached them in: after the file was written or read
 * through (packaging, an unzip, a checksum) those units are large, and the same process then
 * maps far more of the file than it uses. Measured on the packaged executable, apply of 100:
 * 54 MB of file pages when they came in by its own faults, 83 MB after `cat` had read the file.
 * Dropping the executables first makes every process of every variant start alike. A file just
 * written (by the packaging before this) is flushed first: its pages stay cached while dirty.
 * Returns how many were dropped.
 */
function evictFromPageCache(files) {
  let dropped = 0;
  for (const file of files) {
    spawnSync("sync", [file], { stdio: "ignore" });
    const r = spawnSync("dd", [`if=${file}`, "iflag=nocache", "count=0", "status=none"], { stdio: "ignore" });
    if (r.status === 0) dropped++;
  }
  return dropped === files.length ? dropped : 0;
}

// --- main -----------------------------------------------------------------------------------

console.log(`benchmark: median of ${RUNS} runs; node ${process.version}; ${spawnSync("terraform", ["version"], { encoding: "utf8" }).stdout.split("\n")[0]}`);
console.log(`${"measure".padEnd(44)} ${"value".padStart(10)} ${"baseline".padStart(10)} ${"ratio".padStart(8)}`);

const sea = findSingleExecutable();
const seaNodeBinary = (await seaNode({ platform: terraformPlatform() })).path;
const extras = [args.extra]
  .flat()
  .filter(Boolean)
  .map((spec) => {
    // --extra label=floor=path: another build to time beside these (an older one, say).
    const [label, floor, path] = spec.split("=");
    return { label, floor, path };
  });
await measureStartup(
  STARTUP_RUNS,
  [
    { label: "launcher (dist/)", path: join(root, "dist", "terraform-provider-aws"), floor: process.version, targets: { plaintext: 2, mtls: 2.5 } },
    ...(sea ? [{ label: "single executable", path: sea, floor: `v${seaNodeVersion}`, targets: { plaintext: 1.3, mtls: 1.5 } }] : []),
    ...extras,
  ],
  [
    { label: process.version, node: process.execPath },
    { label: `v${seaNodeVersion}`, node: seaNodeBinary },
  ],
);
if (!sea) console.log("single executable: not packaged (npm run package), skipped");
if (args["startup-only"] !== undefined) process.exit(0);

const emulator = await startEmulatorProcess();
const env = (dir) => ({
  TF_CLI_CONFIG_FILE: join(dir, ".terraformrc"),
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  AWS_ENDPOINT_URL: emulator.url,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  TF_LOG: "",
  TF_LOG_PROVIDER: "",
});
const listCalls = async () => (await (await fetch(`${emulator.url}/__emulator/state`)).json()).calls.ListServiceSpecificCredentials ?? 0;
const control = (path, body) =>
  fetch(`${emulator.url}/__emulator/${path}`, { method: "POST", body: JSON.stringify(body ?? {}), headers: { "content-type": "application/json" } });

try {
  const maxUsers = Math.ceil(Math.max(1, ...SIZES) / 2);
  for (let i = 0; i < maxUsers; i++) await control("users", { name: `bench-${i}` });

  // The providers measured: ours and the null provider (bench/null-provider.ts), each as the
  // launcher and as the single executable, all through dev_overrides.
  const { buildNullProvider, buildNullSea } = await import("./null-provider-build.mjs");
  const seaDir = (exe) => {
    const dir = mkdtempSync(join(tmpdir(), "tfbench-sea-"));
    symlinkSync(exe, join(dir, "terraform-provider-aws"));
    return dir;
  };
  const nullLauncherDir = dirname(await buildNullProvider());
  const nullSea = sea ? await quietly(buildNullSea) : undefined;
  const variants = [
    { name: "launcher", dir: join(root, "dist"), config: credentialsConfig, floor: "null launcher" },
    ...(sea ? [{ name: "single executable", dir: seaDir(sea), config: credentialsConfig, floor: "null executable" }] : []),
    { name: "null launcher", dir: nullLauncherDir, config: credentialsConfig },
    ...(nullSea ? [{ name: "null executable", dir: seaDir(nullSea), config: credentialsConfig }] : []),
    { name: "terraform_data", dir: join(root, "dist"), config: terraformDataConfig },
    { name: "size-matched terraform_data", dir: join(root, "dist"), config: sizeMatchedConfig },
  ];
  const providers = variants.filter((v) => v.config === credentialsConfig);
  const evicted = evictFromPageCache([realpathSync(process.execPath), seaNodeBinary, ...(sea ? [sea, nullSea] : [])]);
  console.log(
    evicted
      ? `  page cache: ${evicted} executables dropped, so each provider process maps their pages as it faults them in (see evictFromPageCache)`
      : "  page cache: could not drop the executables (dd iflag=nocache); their file pages in the RSS figures depend on how they were cached",
  );

  const measureSet = async (n) => {
    const p = `-parallelism=${PARALLELISM}`;
    const dirs = new Map(variants.map((v) => [v.name, workdir(v.dir)]));
    for (const v of variants) writeFileSync(join(dirs.get(v.name), "main.tf"), v.config(n));
    const t = new Map(variants.map((v) => [v.name, { validate: [], "plan (create)": [], apply: [], "plan with refresh": [], destroy: [] }]));
    const rss = new Map(providers.map((v) => [v.name, []]));
    let emuCpu = 0;
    let applyWall = 0;
    let planLists = 0;
    const stateBytes = {};
    // One run: every variant in turn, so a change in the machine's load hits all of them alike.
    for (let r = 0; r < RUNS; r++) {
      for (const v of variants) {
        const dir = dirs.get(v.name);
        const times = t.get(v.name);
        const e = env(dir);
        if (n === 1) {
          times.validate.push(await terraform(dir, ["validate", "-no-color"], e));
          times["plan (create)"].push(await terraform(dir, ["plan", "-no-color", "-input=false", p], e));
        }
        let stop;
        const cpu0 = cpuSeconds(emulator.child.pid);
        const tApply = await terraform(dir, ["apply", "-auto-approve", "-no-color", "-input=false", p], e, (pid) => {
          if (rss.has(v.name)) stop = watchProviderRss(pid);
        });
        times.apply.push(tApply);
        if (stop) rss.get(v.name).push(stop());
        if (v.name === "launcher") {
          emuCpu += cpuSeconds(emulator.child.pid) - cpu0;
          applyWall += tApply / 1000;
        }
        // Terraform rewrites the whole state file after every resource, so its own cost per
        // resource grows with the state's size: show how big each side's is.
        stateBytes[v.name] = statSync(join(dir, "terraform.tfstate")).size;
        const lists0 = v.name === "launcher" ? await listCalls() : 0;
        times["plan with refresh"].push(await terraform(dir, ["plan", "-no-color", "-input=false", "-detailed-exitcode", p], e));
        if (v.name === "launcher") planLists = (await listCalls()) - lists0;
        times.destroy.push(await terraform(dir, ["destroy", "-auto-approve", "-no-color", "-input=false", p], e));
      }
    }
    const label = n === 1 ? "1 credential" : `${n} credentials`;
    const targets = {
      terraform_data: { 100: { apply: 3 }, 1000: { apply: 1.5, "plan with refresh": 2 } }[n] ?? {},
      null: { 100: { apply: 1.3 }, 1000: { apply: 1.1, "plan with refresh": 1.25 } }[n] ?? {},
    };
    for (const command of n === 1 ? ["validate", "plan (create)", "apply", "plan with refresh", "destroy"] : ["apply", "plan with refresh", "destroy"]) {
      for (const v of providers) {
        const samples = t.get(v.name)[command];
        row(
          `${command}, ${label}: ${v.name} vs terraform_data`,
          samples,
          t.get("terraform_data")[command],
          v.floor ? targets.terraform_data[command] : undefined,
        );
        row(`${command}, ${label}: ${v.name} vs size-matched`, samples, t.get("size-matched terraform_data")[command]);
        if (v.floor) row(`${command}, ${label}: ${v.name} vs ${v.floor}`, samples, t.get(v.floor)[command], targets.null[command]);
      }
    }
    const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
    console.log(
      `  state file after apply: ${kib(stateBytes.launcher)} (null provider ${kib(stateBytes["null launcher"])}) vs ${kib(stateBytes.terraform_data)} for terraform_data, ${kib(stateBytes["size-matched terraform_data"])} size-matched`,
    );
    if (n > 1) console.log(`  IAM List calls in one plan with refresh: ${planLists} for ${n} credentials of ${Math.ceil(n / 2)} users`);
    for (const [name, runs] of rss) {
      const all = runs.flat();
      const mb = (b) => (b / 1024 / 1024).toFixed(0);
      const verdict = all.every((p) => p.hwm <= 100 * 1024 * 1024) ? "ok" : "OVER";
      const list = (field) => runs.map((peaks) => peaks.map((p) => mb(p[field])).join(" ")).join(" | ");
      console.log(
        `  peak RSS of each provider process of an apply, ${name}: ${list("hwm")} MB (target ≤ 100 MB each) ${verdict}; private (RssAnon) ${list("anon")} MB`,
      );
    }
    console.log(
      `  emulator CPU during the launcher's applies: ${emuCpu.toFixed(2)} s of ${applyWall.toFixed(1)} s wall (${((emuCpu / applyWall) * 100).toFixed(0)}%)`,
    );
    for (const dir of dirs.values()) rmSync(dir, { recursive: true, force: true });
    return { ours: median(t.get("launcher").apply), base: median(t.get("terraform_data").apply) };
  };

  await measureSet(1);
  const applies = {};
  for (const n of SIZES) applies[n] = await measureSet(n);
  if (applies[100] && applies[1000]) {
    const growth = applies[1000].ours / applies[100].ours;
    console.log(`growth of the launcher's apply time from 100 to 1,000 credentials: ${growth.toFixed(2)}× (target ≤ 10×) ${growth <= 10 ? "ok" : "OVER"}`);
    console.log(`  terraform_data's own growth from 100 to 1,000 in this run: ${(applies[1000].base / applies[100].base).toFixed(2)}×`);
  }
} finally {
  emulator.child.kill("SIGTERM");
}
