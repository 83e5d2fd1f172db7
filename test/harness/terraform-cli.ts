/**
 * Runs the real `terraform` binary in a working directory whose CLI configuration points both
 * addresses the provider answers to at this repository's `dist/` through dev_overrides:
 * `registry.terraform.io/hashicorp/aws` (drop-in) and its own `registry.terraform.io/iamssc/awsssc`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { OFFICIAL_PROVIDER_ADDRESS, OWN_PROVIDER_ADDRESS } from "../../src/provider-address.ts";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DIST_DIR = join(REPO_ROOT, "dist");
/** How a configuration's `source` names the own address. */
const OWN_PROVIDER_SHORT = OWN_PROVIDER_ADDRESS.replace(/^registry\.terraform\.io\//, "");

export interface TerraformResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class TerraformCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: TerraformResult,
  ) {
    super(`terraform ${args.join(" ")} exited ${result.code}\n--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`);
  }
}

function tail(text: string): string {
  return text.length > 6000 ? `…${text.slice(-6000)}` : text;
}

export function assertProviderBuilt(): void {
  if (!existsSync(join(DIST_DIR, "terraform-provider-aws"))) {
    throw new Error("dist/terraform-provider-aws is missing: run `npm run build` (npm test does it first).");
  }
}

export interface WorkingDirOptions {
  /** Extra environment for every terraform command (AWS endpoint, credentials, TF_LOG…). */
  env?: Record<string, string>;
  /** Directory the dev_overrides entry points at; `dist/` by default. */
  providerDir?: string;
  /**
   * An executable to run for both addresses instead of the dist/ launcher: the single
   * executable of `npm run package`. Defaults to TF_ACC_PROVIDER_EXECUTABLE, so a whole test run
   * can drive the executable.
   */
  providerExecutable?: string;
  /**
   * Serve the provider from debug-mode processes started once for this directory, which every
   * command attaches to through TF_REATTACH_PROVIDERS (as terraform-plugin-testing serves its
   * provider), instead of Terraform starting it two to five times per command. Cases about the
   * provider's own start, its process or its environment leave it off. A command given extra
   * environment starts its own providers, since an attached provider keeps the environment it
   * was started with. Ignored with `providerExecutable`, and for a whole run with
   * TF_ACC_PROVIDER_PER_COMMAND=1.
   */
  reattach?: boolean;
  /**
   * Where the debug providers come from: a pool that outlives this directory, shared by the
   * directories of one acceptance target (see DebugProviderPool). Without one, the directory
   * starts its own and stops them at cleanup.
   */
  providerPool?: DebugProviderPool;
}

/** A provider started with --debug for one address; Terraform attaches to it. */
interface DebugProvider {
  readonly child: ChildProcess;
  readonly config: Record<string, unknown>;
}

/**
 * Debug providers by address and environment, started on first use and kept until close().
 * A provider process holds one configuration at a time (the last ConfigureProvider), so the
 * directories sharing a pool must run their commands one after another, as an acceptance
 * target's cases do.
 */
export class DebugProviderPool {
  private readonly started = new Map<string, Promise<DebugProvider>>();
  private closed = false;

  /** The reattach entry for `address`, served by a process with this environment. */
  async get(address: string, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
    // A case still running after its target closed (a timed-out test) must not start a process nobody stops.
    if (this.closed) throw new Error("the acceptance target's debug providers are stopped");
    const key = `${address}\u0000${JSON.stringify(env)}`;
    let provider = this.started.get(key);
    if (!provider) {
      provider = startDebugProvider(address, env);
      this.started.set(key, provider);
      // One that dies is replaced on the next use instead of failing every later case.
      const started = provider;
      void started.then(
        ({ child }) => child.once("exit", () => this.started.get(key) === started && this.started.delete(key)),
        () => this.started.get(key) === started && this.started.delete(key),
      );
    }
    return (await provider).config;
  }

  async close(): Promise<void> {
    this.closed = true;
    const started = await Promise.allSettled(this.started.values());
    this.started.clear();
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? stopDebugProvider(s.value.child) : undefined)));
  }
}

export class TerraformWorkingDir {
  private constructor(
    readonly dir: string,
    readonly env: Record<string, string>,
    private readonly reattach: boolean,
    private readonly providerPool: DebugProviderPool,
    private readonly ownsProviderPool: boolean,
    /** What Terraform would hand the provider, less this directory's own CLI configuration. */
    private readonly providerEnv: NodeJS.ProcessEnv,
  ) {}

  static async create(options: WorkingDirOptions = {}): Promise<TerraformWorkingDir> {
    assertProviderBuilt();
    const dir = await mkdtemp(join(tmpdir(), "tfacc-"));
    const cliConfig = join(dir, ".terraformrc");
    // Terraform wants `terraform-provider-awsssc` for the own address: an exec wrapper, as
    // `npm run dev-override` writes (the launcher finds its bundle beside $0, so no symlink).
    const executable = options.providerExecutable ?? (process.env.TF_ACC_PROVIDER_EXECUTABLE || undefined);
    const wrap = async (name: string, file: string, address: string) => {
      const wrapperDir = join(dir, name);
      await mkdir(wrapperDir);
      const wrapper = join(wrapperDir, file);
      await writeFile(wrapper, `#!/bin/sh\nexec ${JSON.stringify(executable ?? join(DIST_DIR, "terraform-provider-aws"))} --address ${address} "$@"\n`);
      await chmod(wrapper, 0o755);
      return wrapperDir;
    };
    const ownDir = await wrap("own-provider", "terraform-provider-awsssc", OWN_PROVIDER_ADDRESS);
    const officialDir = executable ? await wrap("official-provider", "terraform-provider-aws", OFFICIAL_PROVIDER_ADDRESS) : (options.providerDir ?? DIST_DIR);
    await writeFile(
      cliConfig,
      `provider_installation {\n  dev_overrides {\n    "${OFFICIAL_PROVIDER_ADDRESS}" = ${JSON.stringify(officialDir)}\n    "${OWN_PROVIDER_ADDRESS}" = ${JSON.stringify(ownDir)}\n  }\n  direct {}\n}\n`,
    );
    return new TerraformWorkingDir(
      dir,
      {
        TF_CLI_CONFIG_FILE: cliConfig,
        CHECKPOINT_DISABLE: "1",
        TF_IN_AUTOMATION: "1",
        TF_INPUT: "0",
        ...options.env,
      },
      Boolean(options.reattach) &&
        executable === undefined &&
        options.providerDir === undefined &&
        // An attached provider logs to the harness, not to Terraform's log: log checks need Terraform to start it.
        !Object.entries(options.env ?? {}).some(([k, v]) => k.startsWith("TF_LOG") && v !== "") &&
        process.env.TF_ACC_PROVIDER_PER_COMMAND !== "1",
      options.providerPool ?? new DebugProviderPool(),
      options.providerPool === undefined,
      { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...options.env },
    );
  }

  async writeConfig(hcl: string, file = "main.tf"): Promise<void> {
    await writeFile(join(this.dir, file), hcl);
  }

  async removeFile(file: string): Promise<void> {
    await rm(join(this.dir, file), { force: true });
  }

  /** Runs terraform; resolves with the result whatever the exit code. */
  async run(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<TerraformResult> {
    const attach = this.reattach && Object.keys(extraEnv).length === 0 ? await this.reattachEnv() : {};
    return new Promise((resolvePromise, reject) => {
      const child = spawn("terraform", args, {
        cwd: this.dir,
        env: { ...process.env, ...this.env, ...extraEnv, ...attach },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** Runs terraform and throws with its output unless it exits with one of `okCodes`. */
  async ok(args: readonly string[], okCodes: readonly number[] = [0], extraEnv: Record<string, string> = {}): Promise<TerraformResult> {
    const result = await this.run(args, extraEnv);
    if (!okCodes.includes(result.code)) throw new TerraformCommandError(args, result);
    return result;
  }

  async showState(): Promise<StateJson> {
    const out = await this.ok(["show", "-json"]);
    return JSON.parse(out.stdout) as StateJson;
  }

  async cleanup(): Promise<void> {
    if (this.ownsProviderPool) await this.providerPool.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  /**
   * Each address is served by its own process (a provider knows the address it answers to).
   * The own address is attached only once a configuration names it; until then Terraform would
   * start it through dev_overrides (state alone can name it), which is slower but the same.
   */
  private async reattachEnv(): Promise<Record<string, string>> {
    const files = (await readdir(this.dir)).filter((f) => f.endsWith(".tf") || f.endsWith(".tf.json"));
    const config = (await Promise.all(files.map((f) => readFile(join(this.dir, f), "utf8")))).join("\n").toLowerCase();
    // One process holds one provider configuration: aliases need a process each, as Terraform starts them.
    if (/\balias"?\s*[=:]/.test(config)) return {};
    const addresses = [OFFICIAL_PROVIDER_ADDRESS, ...(config.includes(OWN_PROVIDER_SHORT) ? [OWN_PROVIDER_ADDRESS] : [])];
    const configs = await Promise.all(addresses.map((address) => this.providerPool.get(address, this.providerEnv)));
    return { TF_REATTACH_PROVIDERS: JSON.stringify(Object.assign({}, ...configs)) };
  }
}

function startDebugProvider(address: string, env: NodeJS.ProcessEnv): Promise<DebugProvider> {
  return new Promise((resolvePromise, reject) => {
    // Warnings only: debug mode would otherwise log every call at debug level.
    // Node on the bundle directly: the launcher turns on source maps whenever TF_LOG_PROVIDER is set.
    const child = spawn(process.execPath, ["--no-warnings", join(DIST_DIR, "provider.mjs"), "--debug", "--address", address], {
      env: { ...env, TF_LOG_PROVIDER: env.TF_LOG_PROVIDER || "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const onStdout = (d: Buffer) => {
      stdout += d.toString();
      const line = /TF_REATTACH_PROVIDERS='([^'\n]*)'/.exec(stdout);
      if (!line) return;
      child.stdout?.off("data", onStdout);
      child.stdout?.resume();
      resolvePromise({ child, config: JSON.parse(line[1]!) as Record<string, unknown> });
    };
    child.stdout?.on("data", onStdout);
    // Kept short and only for a start that fails: the provider masks secrets it has seen, but
    // nothing of a served command's log is shown.
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    running.add(child);
    child.on("error", reject);
    child.on("exit", () => running.delete(child));
    child.on("exit", (code, signal) => reject(new Error(`debug provider for ${address} exited (${code ?? signal}) before its reattach line:\n${stderr}`)));
  });
}

/** Every debug provider of this worker, stopped when it exits (a worker may end before a target's close). */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

async function stopDebugProvider(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => child.once("exit", () => resolvePromise()));
  child.kill("SIGTERM");
  await exited;
}

export interface StateResourceJson {
  address: string;
  type: string;
  name: string;
  values: Record<string, unknown>;
  sensitive_values?: Record<string, unknown>;
}

export interface StateJson {
  values?: { root_module?: { resources?: StateResourceJson[]; child_modules?: unknown[] }; outputs?: Record<string, { value: unknown; sensitive: boolean }> };
}

export interface PlanJson {
  resource_changes?: {
    address: string;
    type: string;
    change: {
      actions: string[];
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      replace_paths?: unknown[][];
      importing?: { id: string };
    };
  }[];
}
