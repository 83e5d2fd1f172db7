// `npm start`: builds the provider, starts the embedded IAM emulator on a free port, and drives
// the real `terraform` through the two documented examples (examples/codecommit-credential and
// examples/bedrock-api-key), one after the other since both create the user "example":
// apply, outputs (secrets stay sensitive), a second plan that must be empty, `terraform import`
// of the credential by its composite id into a fresh state, destroy. After the CodeCommit one's
// second plan, examples/list-credentials lists the user's credentials with the data source and
// imports them through import blocks, in another fresh state. One line per step with its
// time; the emulator is stopped and nothing is left running. Exits 1 with Terraform's output on
// any failure.
//
// Terraform finds the provider through a private CLI configuration with dev_overrides (in a
// temporary directory, named by TF_CLI_CONFIG_FILE); ~/.terraformrc is never read or written.
//
// Options: --no-build (use dist/ as it is).
import { spawn, spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const EXAMPLES = [
  { dir: "codecommit-credential", label: "codecommit", listCredentials: true },
  { dir: "bedrock-api-key", label: "bedrock" },
];
const CREDENTIAL = "aws_iam_service_specific_credential";

class StepError extends Error {
  constructor(message, output = "") {
    super(message);
    this.output = output;
  }
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const say = (line = "") => process.stdout.write(`${line}\n`);

let stepCount = 0;
async function step(label, fn) {
  const started = performance.now();
  try {
    const result = await fn();
    stepCount++;
    say(`✓ ${label} (${seconds(performance.now() - started)})`);
    if (typeof result === "object" && result !== null) {
      for (const line of [result.detail, ...(result.lines ?? [])]) if (line) say(`    ${line}`);
    }
    return result;
  } catch (err) {
    say(`✗ ${label} (${seconds(performance.now() - started)})`);
    throw err;
  }
}

/** Runs a command to completion, collecting its output. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? root, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
}

function outputOf(result) {
  return [result.stdout.trim() && `--- stdout ---\n${result.stdout.trimEnd()}`, result.stderr.trim() && `--- stderr ---\n${result.stderr.trimEnd()}`]
    .filter(Boolean)
    .join("\n");
}

function terraformIn(cwd, env) {
  return async (args, okCodes = [0]) => {
    const result = await run("terraform", [...args, "-no-color"], { cwd, env });
    if (!okCodes.includes(result.code)) throw new StepError(`terraform ${args.join(" ")} exited ${result.code}`, outputOf(result));
    return result;
  };
}

/** Starts `dist/emulator.mjs` on a free port and waits for its ready line. */
function startEmulator(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(dist, "emulator.mjs"), "--port", "0"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new StepError("the emulator printed no ready line within 10 s", out));
    }, 10_000);
    const onData = (d) => {
      out += d;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => (out += d));
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new StepError(`the emulator exited (${code}) before it was ready`, out));
    });
  });
}

async function stopProcess(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

/** Processes (other than this one) whose environment holds `marker`: Terraform, providers, the emulator. */
async function processesWith(marker) {
  if (process.platform !== "linux") return [];
  const found = [];
  for (const pid of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const environ = await readFile(`/proc/${pid}/environ`, "latin1");
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state !== "Z" && environ.includes(marker)) found.push(Number(pid));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

function credentialResourceName(mainTf) {
  const match = new RegExp(`resource\\s+"${CREDENTIAL}"\\s+"([^"]+)"`).exec(mainTf);
  if (!match) throw new StepError(`no ${CREDENTIAL} resource in the example`);
  return match[1];
}

async function runExample(example, base, env) {
  const source = join(root, "examples", example.dir);
  const work = join(base, example.dir);
  await cp(source, work, { recursive: true });
  const mainTf = await readFile(join(work, "main.tf"), "utf8");
  const name = credentialResourceName(mainTf);
  const address = `${CREDENTIAL}.${name}`;
  await writeFile(
    join(work, "outputs.tf"),
    `# Added by the demo, beside the unchanged example.
output "credential_id" {
  description = "service_name:user_name:service_specific_credential_id, the id terraform import takes."
  value       = ${address}.id
}

output "secret" {
  description = "The password (CodeCommit, Keyspaces) or API key secret (Bedrock, CloudWatch Logs)."
  value       = coalesce(${address}.service_password, ${address}.service_credential_secret)
  sensitive   = true
}
`,
  );
  const tf = terraformIn(work, env);
  let applied = false;
  let failed = false;
  let id;
  say();
  say(`${example.label}: examples/${example.dir}/main.tf (+ outputs.tf) in ${work}`);
  try {
    await step(`apply ${example.label} example`, async () => {
      applied = true;
      const r = await tf(["apply", "-auto-approve", "-input=false"]);
      const summary = /Apply complete! Resources: ([^.]*)\./.exec(r.stdout)?.[1] ?? "done";
      const masked = [...r.stdout.matchAll(/^\s*\+ (service_password|service_credential_secret)\s+= \(sensitive value\)/gm)].map((m) => m[1]);
      if (masked.length === 0) throw new StepError("the plan did not show the secret as (sensitive value)", outputOf(r));
      if (!/^\s*\+ secret\s+= \(sensitive value\)$/m.test(r.stdout))
        throw new StepError("the plan did not show the secret output as (sensitive value)", outputOf(r));
      if (!/^secret = <sensitive>$/m.test(r.stdout)) throw new StepError("the apply's outputs did not show secret as <sensitive>", outputOf(r));
      return { detail: summary, lines: [`the plan showed + ${masked.join(", + ")} = (sensitive value), + secret = (sensitive value)`] };
    });

    await step(`show outputs of ${example.label} example`, async () => {
      const r = await tf(["output"]);
      id = /^credential_id = "([^"]+)"$/m.exec(r.stdout)?.[1];
      if (!id) throw new StepError("no credential_id output", outputOf(r));
      if (!/^secret = <sensitive>$/m.test(r.stdout)) throw new StepError("the secret output is not shown as <sensitive>", outputOf(r));
      // The secret is there, even though it is not shown: `terraform output -raw` prints it.
      const raw = await tf(["output", "-raw", "secret"]);
      if (raw.stdout.length < 10) throw new StepError("the secret output is empty", "");
      return { lines: [...r.stdout.trimEnd().split("\n"), `(terraform output -raw secret prints the ${raw.stdout.length}-character secret)`] };
    });

    await step(`second plan of ${example.label} example is empty`, async () => {
      const r = await tf(["plan", "-detailed-exitcode", "-input=false"], [0, 2]);
      if (r.code !== 0) throw new StepError("the plan after apply is not empty (-detailed-exitcode 2)", outputOf(r));
      return { detail: "no changes" };
    });

    if (example.listCredentials) {
      await step(`list credentials of user example and import them (examples/list-credentials)`, async () => {
        const fresh = join(base, "list-credentials");
        await cp(join(root, "examples", "list-credentials"), fresh, { recursive: true });
        const r = await terraformIn(fresh, env)(["apply", "-auto-approve", "-input=false"]);
        const summary = /Apply complete! Resources: ([^.]*)\./.exec(r.stdout)?.[1] ?? "";
        if (!summary.startsWith("1 imported")) throw new StepError("the import blocks did not import the one credential the data source listed", outputOf(r));
        if (!r.stdout.includes(id)) throw new StepError("the data source's output does not list the credential", outputOf(r));
        // The fresh state is dropped, not destroyed: the example's own state still manages the credential.
        await rm(fresh, { recursive: true, force: true });
        return {
          detail: summary,
          lines: r.stdout
            .slice(r.stdout.lastIndexOf("\nOutputs:") + 1)
            .trimEnd()
            .split("\n"),
        };
      });
    }

    await step(`import ${example.label} credential by id into a fresh state`, async () => {
      const fresh = join(base, `${example.dir}-import`);
      await mkdir(fresh);
      await cp(join(source, "main.tf"), join(fresh, "main.tf"));
      const tfFresh = terraformIn(fresh, env);
      await tfFresh(["import", "-input=false", address, id]);
      const shown = await tfFresh(["state", "show", address]);
      if (!shown.stdout.includes(id)) throw new StepError("the imported state does not hold the credential", outputOf(shown));
      await rm(fresh, { recursive: true, force: true });
      return { detail: `terraform import ${address} ${id}` };
    });
  } catch (err) {
    failed = true;
    // Clean up what the failed steps left, without hiding their error.
    if (applied) await tf(["destroy", "-auto-approve", "-input=false"]).catch(() => {});
    throw err;
  }
  if (applied && !failed) {
    await step(`destroy ${example.label} example`, async () => {
      const r = await tf(["destroy", "-auto-approve", "-input=false"]);
      return { detail: /Destroy complete! Resources: ([^.]*)\./.exec(r.stdout)?.[1] ?? "done" };
    });
  }
}

async function main() {
  const args = process.argv.slice(2);
  const started = performance.now();
  if (spawnSync("terraform", ["version"], { stdio: "ignore" }).status !== 0) {
    say("✗ terraform is not on PATH: install Terraform (v1.11.4 is what this was tested with)");
    process.exit(1);
  }
  const version = /PROVIDER_VERSION\s*=\s*"([^"]+)"/.exec(await readFile(join(root, "src", "version.ts"), "utf8"))?.[1];
  const tfVersion = /Terraform (v\S+)/.exec(spawnSync("terraform", ["version"], { encoding: "utf8" }).stdout)?.[1];
  say(`terraform-provider-aws ${version}: demo with Terraform ${tfVersion} against the embedded IAM emulator`);

  const base = await mkdtemp(join(tmpdir(), "tf-provider-demo-"));
  const cliConfig = join(base, "terraformrc");
  let emulator;
  let interrupted = false;
  const onSignal = (signal) => {
    interrupted = true;
    say(`\n${signal}: stopping`);
    void cleanup().then(() => process.exit(130));
  };
  async function cleanup() {
    await stopProcess(emulator?.child);
    await rm(base, { recursive: true, force: true });
  }
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    if (!args.includes("--no-build")) {
      await step("build the provider (npm run build)", async () => {
        const r = await run("npm", ["run", "--silent", "build"]);
        if (r.code !== 0) throw new StepError("npm run build failed", outputOf(r));
        return { detail: "dist/terraform-provider-aws" };
      });
    }

    // Every process started from here on carries this path in its environment, which is how the
    // end of the demo checks that none is left.
    const env = { ...process.env };
    for (const k of [
      "AWS_PROFILE",
      "AWS_DEFAULT_PROFILE",
      "AWS_SESSION_TOKEN",
      "AWS_DEFAULT_REGION",
      "AWS_ENDPOINT_URL_IAM",
      "AWS_ENDPOINT_URL_STS",
      "TF_REATTACH_PROVIDERS",
    ])
      delete env[k];
    Object.assign(env, { TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" });

    emulator = await step("start the IAM emulator", async () => {
      const e = await startEmulator(env);
      return { ...e, detail: `${e.url} (pid ${e.child.pid})` };
    });
    Object.assign(env, { AWS_ENDPOINT_URL: emulator.url, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });

    await step("write a private CLI config with dev_overrides", async () => {
      await writeFile(
        cliConfig,
        `provider_installation {\n  dev_overrides {\n    "registry.terraform.io/hashicorp/aws" = ${JSON.stringify(dist)}\n  }\n  direct {}\n}\n`,
      );
      return { detail: `TF_CLI_CONFIG_FILE=${cliConfig}` };
    });

    for (const example of EXAMPLES) await runExample(example, base, env);

    say();
    await step("stop the IAM emulator", async () => {
      await stopProcess(emulator.child);
      return {};
    });
    const left = await waitForNone(cliConfig);
    if (left.length > 0) throw new StepError(`processes still running: ${left.join(", ")}`);
    await rm(base, { recursive: true, force: true });
    say(`Demo complete: ${stepCount} steps in ${seconds(performance.now() - started)}; nothing left running.`);
  } catch (err) {
    if (interrupted) return;
    say();
    say(`Demo failed: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof StepError && err.output) say(err.output);
    else if (err instanceof Error && !(err instanceof StepError)) say(err.stack ?? "");
    await cleanup();
    process.exitCode = 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** Providers exit right after Terraform's Shutdown call; give them a moment. */
async function waitForNone(marker) {
  let left = [];
  for (let i = 0; i < 40; i++) {
    left = await processesWith(marker);
    if (left.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return left;
}

await main();
