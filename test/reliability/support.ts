/**
 * What the reliability suites share: a private emulator per suite (so "the emulator is empty"
 * means something), Terraform working directories pointed at it, a way to run Terraform as a
 * child process the test can signal, and comparisons of the state with the emulator.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import type { Emulator, EmulatorCredentialSnapshot, EmulatorStateSnapshot, FaultSpec } from "../../src/emulator/index.ts";
import { startEmulator } from "../../src/emulator/index.ts";
import { CreateUserCommand, DeleteServiceSpecificCredentialCommand, IAMClient } from "@aws-sdk/client-iam";
import { EmulatorControl, TerraformWorkingDir, type StateJson, type StateResourceJson, type TerraformResult } from "../harness/index.ts";

export const CRED = "aws_iam_service_specific_credential";

export interface Lab {
  emulator: Emulator;
  control: EmulatorControl;
  /** Environment for terraform and the provider. */
  env: Record<string, string>;
  workdir(extraEnv?: Record<string, string>, options?: { reattach?: boolean }): Promise<TerraformWorkingDir>;
  close(): Promise<void>;
}

export async function startLab(options: { strictAuth?: boolean; env?: Record<string, string> } = {}): Promise<Lab> {
  const emulator = await startEmulator({ profile: "aws", ...(options.strictAuth ? { strictAuth: true } : {}) });
  const control = new EmulatorControl(emulator.url);
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIARELIABILITYTEST1",
    AWS_SECRET_ACCESS_KEY: "reliability-secret-key-not-used-for-signing-checks",
    TF_AWS_IAM_PROPAGATION_TIMEOUT: "5",
    ...options.env,
  };
  const dirs: TerraformWorkingDir[] = [];
  return {
    emulator,
    control,
    env,
    /** `reattach` serves the provider from debug processes Terraform attaches to (terraform-cli.ts). */
    async workdir(extraEnv = {}, options: { reattach?: boolean } = {}) {
      const wd = await TerraformWorkingDir.create({ env: { ...env, ...extraEnv }, reattach: options.reattach });
      dirs.push(wd);
      return wd;
    },
    async close() {
      await Promise.all(dirs.map((d) => d.cleanup()));
      await emulator.close();
    },
  };
}

/** An SDK client of the lab's emulator, for what a test does outside Terraform. */
async function withIam(lab: Lab, use: (iam: IAMClient) => Promise<void>): Promise<void> {
  const iam = new IAMClient({
    endpoint: lab.env.AWS_ENDPOINT_URL!,
    region: lab.env.AWS_REGION!,
    credentials: { accessKeyId: lab.env.AWS_ACCESS_KEY_ID!, secretAccessKey: lab.env.AWS_SECRET_ACCESS_KEY! },
  });
  try {
    await use(iam);
  } finally {
    iam.destroy();
  }
}

/** Deletes credentials as the provider's error advises for ones nobody can prove are theirs. */
export async function deleteStrays(lab: Lab, strays: { id: string; userName: string }[]): Promise<void> {
  await withIam(lab, async (iam) => {
    for (const c of strays) await iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: c.userName, ServiceSpecificCredentialId: c.id }));
  });
}

/** Creates an IAM user outside Terraform. */
export async function createUserOutside(lab: Lab, userName: string): Promise<void> {
  await withIam(lab, async (iam) => {
    await iam.send(new CreateUserCommand({ UserName: userName }));
  });
}

/** `n` users, each with `perUser` codecommit credentials (the IAM limit is two). */
export function usersWithCredentials(prefix: string, users: number, perUser: number, service = "codecommit.amazonaws.com"): string {
  const names = Array.from({ length: users }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
  return `
locals {
  users = ${JSON.stringify(names)}
}

resource "aws_iam_user" "u" {
  for_each = toset(local.users)
  name     = each.key
}
${Array.from(
  { length: perUser },
  (_, k) => `
resource "${CRED}" "c${k}" {
  for_each     = aws_iam_user.u
  user_name    = each.value.name
  service_name = ${JSON.stringify(service)}
}
`,
).join("")}`;
}

export interface StateCredential {
  address: string;
  id: string;
  userName: string;
  tainted: boolean;
  password: unknown;
  secret: unknown;
}

export function stateResources(state: StateJson): (StateResourceJson & { tainted?: boolean })[] {
  return (state.values?.root_module?.resources ?? []) as (StateResourceJson & { tainted?: boolean })[];
}

export function stateCredentials(state: StateJson): StateCredential[] {
  return stateResources(state)
    .filter((r) => r.type === CRED)
    .map((r) => ({
      address: r.address,
      id: String(r.values.service_specific_credential_id),
      userName: String(r.values.user_name),
      tainted: r.tainted === true,
      password: r.values.service_password,
      secret: r.values.service_credential_secret,
    }));
}

export function stateUsers(state: StateJson): string[] {
  return stateResources(state)
    .filter((r) => r.type === "aws_iam_user")
    .map((r) => String(r.values.name))
    .sort();
}

export const ids = (list: { id: string }[]) => list.map((c) => c.id).sort();

/** The emulator and the state hold exactly the same credentials and users. */
export function expectAgreement(
  state: StateJson,
  emulator: EmulatorStateSnapshot,
  expected?: { credentials?: number; users?: number },
): { credentials: number; users: number } {
  const inState = ids(stateCredentials(state));
  const inEmulator = ids(emulator.credentials);
  if (JSON.stringify(inState) !== JSON.stringify(inEmulator)) {
    const onlyEmulator = inEmulator.filter((id) => !inState.includes(id));
    const onlyState = inState.filter((id) => !inEmulator.includes(id));
    throw new Error(`state and emulator disagree: only in the emulator ${JSON.stringify(onlyEmulator)}, only in the state ${JSON.stringify(onlyState)}`);
  }
  const users = stateUsers(state);
  const emulatorUsers = emulator.users.map((u) => u.name).sort();
  if (JSON.stringify(users) !== JSON.stringify(emulatorUsers)) {
    throw new Error(`users differ: state ${users.length}, emulator ${emulatorUsers.length}`);
  }
  if (expected?.credentials !== undefined && inState.length !== expected.credentials) {
    throw new Error(`expected ${expected.credentials} credentials, state and emulator have ${inState.length}`);
  }
  if (expected?.users !== undefined && users.length !== expected.users) {
    throw new Error(`expected ${expected.users} users, state and emulator have ${users.length}`);
  }
  return { credentials: inState.length, users: users.length };
}

export function secretsOf(credentials: EmulatorCredentialSnapshot[]): string[] {
  return credentials.flatMap((c) => [c.servicePassword, c.serviceCredentialSecret]).filter((s): s is string => typeof s === "string" && s.length > 0);
}

/** Total `fired` of the faults, and the sum of calls the emulator received. */
export async function faultFigures(control: EmulatorControl): Promise<{ fired: number[]; calls: Record<string, number>; totalCalls: number }> {
  const faults = await control.faults();
  const state = await control.state();
  const totalCalls = Object.values(state.calls).reduce((a, b) => a + b, 0);
  return { fired: faults.map((f) => f.fired), calls: state.calls, totalCalls };
}

export async function addFaults(control: EmulatorControl, faults: FaultSpec[]): Promise<void> {
  for (const f of faults) await control.addFault(f);
}

/** Counts provider log lines (TF_LOG_PROVIDER=debug into TF_LOG_PATH) with this message. */
export function countLogLines(path: string, message: string): number {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return 0;
  }
  let n = 0;
  for (const line of text.split("\n")) if (line.includes(message)) n++;
  return n;
}

// --- Terraform as a child the test can signal -------------------------------------------------

export interface RunningTerraform {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  done: Promise<TerraformResult>;
}

/** Starts terraform in its own process group (as a shell job would be), output collected. */
export function startTerraform(workdir: TerraformWorkingDir, args: string[], extraEnv: Record<string, string> = {}): RunningTerraform {
  const child = spawn("terraform", args, {
    cwd: workdir.dir,
    env: { ...process.env, ...workdir.env, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output = { stdout: "", stderr: "" };
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (output.stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (output.stderr += d));
  const done = new Promise<TerraformResult>((resolve) => child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), ...output })));
  return { child, output, done };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  cmdline: string;
}

/** Live processes (zombies excluded), from /proc. */
export function processes(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (rest[0] === "Z" || rest[0] === "X") continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
      out.push({ pid: Number(entry), ppid: Number(rest[1]), cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}
