// Start-up and throughput benchmark. Every figure is the median of several runs, next to a
// baseline measured in the same invocation on the same machine:
//   - spawn → handshake line: the dist/ launcher, the single executable (when packaged), and
//     `node -e ""` (spawn → exit) as the floor;
//   - terraform validate/plan/apply of 1 credential, and apply/plan/destroy of 100 and 1,000,
//     each beside the same command on as many `terraform_data` resources (Terraform's floor);
//   - the provider's peak RSS during the 1,000-credential apply and the emulator's CPU share.
// Usage: npm run bench [-- --runs 3 --sizes 100,1000 --parallelism 10]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
  process.argv.slice(2).flatMap((a, i, all) => (a.startsWith("--") ? [[a.slice(2), all[i + 1]]] : [])),
);
const RUNS = Number(args.runs ?? 3);
const SIZES = (args.sizes ?? "100,1000").split(",").map(Number);
const PARALLELISM = Number(args.parallelism ?? 10);
const COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

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
  console.log(`${what.padEnd(44)} ${ms(value).padStart(10)} ${baseline ? ms(baseline).padStart(10) : "".padStart(10)} ${ratio !== undefined ? `${ratio.toFixed(2)}×`.padStart(8) : "".padStart(8)}  ${verdict}${samples.length ? `  [s: ${samples.join(" | ")}]` : ""}`);
};

// --- start-up ---------------------------------------------------------------------------

function timeToHandshake(cmd, cmdArgs) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, cmdArgs, {
      env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: COOKIE, PLUGIN_PROTOCOL_VERSIONS: "6", TF_LOG: "", TF_LOG_PROVIDER: "" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    child.on("error", reject);
    child.stdout.once("data", () => {
      const t = performance.now() - t0;
      child.kill("SIGTERM");
      child.once("exit", () => resolve(t));
    });
  });
}

function timeToExit(cmd, cmdArgs) {
  const t0 = performance.now();
  spawnSync(cmd, cmdArgs, { stdio: "ignore" });
  return performance.now() - t0;
}

async function sampled(n, f) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return median(out);
}

function findSingleExecutable() {
  for (const dir of [join(root, "dist-package"), join(root, "package"), join(root, "dist", "sea"), join(root, "build")]) {
    if (!existsSync(dir)) continue;
    const stack = [dir];
    while (stack.length) {
      const d = stack.pop();
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) stack.push(p);
        else if (/^terraform-provider-[a-z0-9-]+_v[\d.]+$/.test(e.name)) return p;
      }
    }
  }
  return undefined;
}

// --- terraform ------------------------------------------------------------------------------

// Asynchronous, so the RSS sampler keeps running while Terraform works.
function terraform(dir, tfArgs, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn("terraform", tfArgs, { cwd: dir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
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
  writeFileSync(join(dir, ".terraformrc"), `provider_installation {\n  dev_overrides {\n    "registry.terraform.io/hashicorp/aws" = ${JSON.stringify(providerDir)}\n  }\n  direct {}\n}\n`);
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

/** Polls /proc for provider processes and keeps the largest resident set seen. */
function watchProviderRss() {
  let peak = 0;
  const timer = setInterval(() => {
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (!cmd.includes("provider.mjs") && !cmd.includes("terraform-provider-aws")) continue;
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
        peak = Math.max(peak, hwm);
      } catch {
        // the process ended between listing and reading
      }
    }
  }, 25);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

// --- main -----------------------------------------------------------------------------------

console.log(`benchmark: median of ${RUNS} runs; node ${process.version}; ${spawnSync("terraform", ["version"], { encoding: "utf8" }).stdout.split("\n")[0]}`);
console.log(`${"measure".padEnd(44)} ${"value".padStart(10)} ${"baseline".padStart(10)} ${"ratio".padStart(8)}`);

const bareNode = await sampled(RUNS * 3, () => timeToExit(process.execPath, ["-e", ""]));
row("node -e \"\" (spawn to exit)", bareNode);
row("launcher: spawn to handshake", await sampled(RUNS * 3, () => timeToHandshake(join(root, "dist", "terraform-provider-aws"), [])), bareNode, 3);
const sea = findSingleExecutable();
if (sea) row("single executable: spawn to handshake", await sampled(RUNS * 3, () => timeToHandshake(sea, [])), bareNode, 2);
else console.log("single executable: not packaged (npm run package), skipped");

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
const control = (path, body) => fetch(`${emulator.url}/__emulator/${path}`, { method: "POST", body: JSON.stringify(body ?? {}), headers: { "content-type": "application/json" } });

try {
  const maxUsers = Math.ceil(Math.max(1, ...SIZES) / 2);
  for (let i = 0; i < maxUsers; i++) await control("users", { name: `bench-${i}` });

  const measureSet = async (n, label, withRss) => {
    const ours = workdir(join(root, "dist"));
    const base = workdir(join(root, "dist"));
    writeFileSync(join(ours, "main.tf"), credentialsConfig(n));
    writeFileSync(join(base, "main.tf"), terraformDataConfig(n));
    const p = `-parallelism=${PARALLELISM}`;
    const times = { apply: [], plan: [], destroy: [], validate: [], planCreate: [] };
    const baseTimes = { apply: [], plan: [], destroy: [], validate: [], planCreate: [] };
    let rss = 0;
    let emuCpu = 0;
    let applyWall = 0;
    let planLists = 0;
    const stateBytes = {};
    for (let r = 0; r < RUNS; r++) {
      for (const [dir, t] of [[ours, times], [base, baseTimes]]) {
        const e = env(dir);
        if (n === 1) {
          t.validate.push(await terraform(dir, ["validate", "-no-color"], e));
          t.planCreate.push(await terraform(dir, ["plan", "-no-color", "-input=false", p], e));
        }
        const stop = dir === ours && withRss ? watchProviderRss() : undefined;
        const cpu0 = cpuSeconds(emulator.child.pid);
        const tApply = await terraform(dir, ["apply", "-auto-approve", "-no-color", "-input=false", p], e);
        t.apply.push(tApply);
        if (dir === ours) {
          emuCpu += cpuSeconds(emulator.child.pid) - cpu0;
          applyWall += tApply / 1000;
        }
        if (stop) rss = Math.max(rss, stop());
        // Terraform rewrites the whole state file after every resource, so its own cost per
        // resource grows with the state's size: show how big each side's is.
        stateBytes[dir === ours ? "ours" : "base"] = statSync(join(dir, "terraform.tfstate")).size;
        const lists0 = dir === ours ? await listCalls() : 0;
        t.plan.push(await terraform(dir, ["plan", "-no-color", "-input=false", "-detailed-exitcode", p], e));
        if (dir === ours) planLists = (await listCalls()) - lists0;
        t.destroy.push(await terraform(dir, ["destroy", "-auto-approve", "-no-color", "-input=false", p], e));
      }
    }
    if (n === 1) {
      row(`validate, ${label}`, times.validate, baseTimes.validate);
      row(`plan (create), ${label}`, times.planCreate, baseTimes.planCreate);
    }
    const targets = { 100: { apply: 3 }, 1000: { apply: 1.5, plan: 2 } }[n] ?? {};
    row(`apply, ${label}`, times.apply, baseTimes.apply, targets.apply);
    row(`plan with refresh, ${label}`, times.plan, baseTimes.plan, targets.plan);
    row(`destroy, ${label}`, times.destroy, baseTimes.destroy);
    if (n >= 100) {
      const matched = workdir(join(root, "dist"));
      writeFileSync(join(matched, "main.tf"), sizeMatchedConfig(n));
      const m = { apply: [], plan: [] };
      for (let r = 0; r < RUNS; r++) {
        m.apply.push(await terraform(matched, ["apply", "-auto-approve", "-no-color", "-input=false", p], env(matched)));
        m.plan.push(await terraform(matched, ["plan", "-no-color", "-input=false", "-detailed-exitcode", p], env(matched)));
        await terraform(matched, ["destroy", "-auto-approve", "-no-color", "-input=false", p], env(matched));
      }
      row(`apply, ${n} vs state-size-matched terraform_data`, times.apply, m.apply);
      row(`plan with refresh, ${n} vs state-size-matched`, times.plan, m.plan);
      rmSync(matched, { recursive: true, force: true });
    }
    if (n >= 100) console.log(`  state file after apply: ${(stateBytes.ours / 1024).toFixed(0)} KiB vs ${(stateBytes.base / 1024).toFixed(0)} KiB for terraform_data (${(stateBytes.ours / stateBytes.base).toFixed(2)}×)`);
    if (n > 1) console.log(`  IAM List calls in one plan with refresh: ${planLists} for ${n} credentials of ${Math.ceil(n / 2)} users`);
    if (withRss) console.log(`  provider peak RSS during apply: ${(rss / 1024 / 1024).toFixed(0)} MB (target ≤ 100 MB) ${rss <= 100 * 1024 * 1024 ? "ok" : "OVER"}`);
    console.log(`  emulator CPU during apply: ${emuCpu.toFixed(2)} s of ${applyWall.toFixed(1)} s wall (${((emuCpu / applyWall) * 100).toFixed(0)}%)`);
    rmSync(ours, { recursive: true, force: true });
    rmSync(base, { recursive: true, force: true });
    return { ours: median(times.apply), base: median(baseTimes.apply) };
  };

  await measureSet(1, "1 credential vs 1 terraform_data", false);
  const applies = {};
  for (const n of SIZES) applies[n] = await measureSet(n, `${n} credentials vs ${n} terraform_data`, n === Math.max(...SIZES));
  if (applies[100] && applies[1000]) {
    const growth = applies[1000].ours / applies[100].ours;
    console.log(`growth of apply time from 100 to 1,000 credentials: ${growth.toFixed(2)}× (target ≤ 10×) ${growth <= 10 ? "ok" : "OVER"}`);
    console.log(`  terraform_data's own growth from 100 to 1,000 in this run: ${(applies[1000].base / applies[100].base).toFixed(2)}×`);
  }
} finally {
  emulator.child.kill("SIGTERM");
}
