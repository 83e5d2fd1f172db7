/**
 * Acceptance steps with the semantics of Terraform's plugin-testing:
 *  - a config step applies, runs its checks, then requires an empty plan, refreshes, and
 *    requires an empty plan again (unless it expects a non-empty plan);
 *  - a plan-only step plans and checks the plan;
 *  - an import step imports into an empty state (by CLI id, or by `import` blocks for every
 *    object of the applied state so nothing else is created) and compares the imported
 *    attributes with the applied ones, ignoring the write-once attributes listed;
 *  - after the last step everything is destroyed, and the API is asked whether anything is left.
 */
import { expect } from "vitest";
import type { PlanJson, StateJson, StateResourceJson, TerraformResult } from "./terraform-cli.ts";
import { TerraformCommandError, TerraformWorkingDir } from "./terraform-cli.ts";
import type { AcceptanceTarget } from "./acceptance-target.ts";
import { assertNothingLeft } from "./destroy-check.ts";

export interface StepContext {
  readonly target: AcceptanceTarget;
  /** Whether the case's working directories attach to debug providers. */
  readonly reattach: boolean;
  readonly workdir: TerraformWorkingDir;
  state(): Promise<StateView>;
}

export interface ConfigStep {
  config: string;
  /** Runs before the step's terraform commands (inject faults, change things behind Terraform's back). */
  preConfig?: (ctx: StepContext) => Promise<void>;
  /** The apply must fail with output matching this; nothing else of the step runs. */
  expectError?: RegExp;
  /** Only plan (no apply); the plan is then checked by `planCheck`. */
  planOnly?: boolean;
  planCheck?: (plan: PlanView, ctx: StepContext) => void | Promise<void>;
  check?: (state: StateView, ctx: StepContext) => void | Promise<void>;
  /** The plan after apply is allowed (and required) to show changes. */
  expectNonEmptyPlan?: boolean;
  /** Extra arguments for the apply, e.g. ["-parallelism=20"]. */
  applyArgs?: string[];
}

export interface ImportStep {
  import: "cli" | "block";
  /** Resource address, e.g. aws_iam_service_specific_credential.test */
  resourceName: string;
  /** The id to import; defaults to the applied resource's `id`. */
  importStateId?: string | ((state: StateView) => string);
  /** Configuration for the import's working directory; defaults to the last config step's. */
  config?: string;
  /** Attributes the import cannot know (write-once secrets). */
  verifyIgnore?: string[];
  /** Import must fail with output matching this. */
  expectError?: RegExp;
  /** After an import block is applied, the plan must be empty (default true). */
  expectEmptyPlanAfter?: boolean;
  checkImported?: (imported: StateResourceJson, ctx: StepContext) => void | Promise<void>;
}

export type Step = ConfigStep | ImportStep;

export interface AcceptanceCase {
  target: AcceptanceTarget;
  steps: Step[];
  /** Skip the final destroy and API check (for cases that end in a failed state on purpose). */
  skipDestroy?: boolean;
  /**
   * Terraform starts the provider for every command, as for a user, instead of attaching to
   * debug processes started once for the case (the default; see terraform-cli.ts).
   */
  providerPerCommand?: boolean;
}

export class StateView {
  constructor(readonly json: StateJson) {}

  resources(): StateResourceJson[] {
    return this.json.values?.root_module?.resources ?? [];
  }

  resource(address: string): StateResourceJson {
    const found = this.resources().find((r) => r.address === address);
    if (!found)
      throw new Error(
        `${address} is not in the state; it has ${
          this.resources()
            .map((r) => r.address)
            .join(", ") || "nothing"
        }`,
      );
    return found;
  }

  has(address: string): boolean {
    return this.resources().some((r) => r.address === address);
  }

  attr(address: string, name: string): unknown {
    return this.resource(address).values[name];
  }

  output(name: string): unknown {
    return this.json.values?.outputs?.[name]?.value;
  }
}

export class PlanView {
  constructor(
    readonly json: PlanJson,
    readonly text: string,
  ) {}

  actions(address: string): string[] {
    const change = this.json.resource_changes?.find((c) => c.address === address);
    return change ? change.change.actions : [];
  }

  /** Addresses with any action other than no-op. */
  changed(): string[] {
    return (this.json.resource_changes ?? []).filter((c) => !(c.change.actions.length === 1 && c.change.actions[0] === "no-op")).map((c) => c.address);
  }
}

export async function runAcceptanceCase(test: AcceptanceCase): Promise<void> {
  const { target } = test;
  const reattach = !test.providerPerCommand;
  const workdir = await TerraformWorkingDir.create({
    env: target.env,
    providerExecutable: target.providerExecutable,
    reattach,
    providerPool: target.providerPool,
  });
  const ctx: StepContext = { target, reattach, workdir, state: async () => new StateView(await workdir.showState()) };
  let lastConfig = "";
  const seen = new Set<string>();
  const remember = async () => {
    for (const r of (await ctx.state()).resources()) seen.add(JSON.stringify({ type: r.type, values: pick(r.values) }));
  };
  let failed = false;
  try {
    for (const [index, step] of test.steps.entries()) {
      const label = `step ${index + 1}`;
      if ("import" in step) await runImportStep(step, ctx, lastConfig, label);
      else {
        lastConfig = step.config;
        await runConfigStep(step, ctx, label);
        await remember();
      }
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    try {
      if (!test.skipDestroy) {
        const destroyed = await workdir.run(["destroy", "-auto-approve", "-no-color"]);
        if (!failed) {
          // biome-ignore lint/correctness/noUnsafeFinally: only after the steps passed; a destroy failure is then the case's failure
          if (destroyed.code !== 0) throw new TerraformCommandError(["destroy"], destroyed);
          await assertNothingLeft(
            target,
            [...seen].map((s) => JSON.parse(s) as { type: string; values: Record<string, unknown> }),
          );
        }
      }
    } finally {
      await workdir.cleanup();
    }
  }
}

function pick(values: Record<string, unknown>): Record<string, unknown> {
  const keep = ["name", "user_name", "service_name", "service_specific_credential_id"];
  return Object.fromEntries(keep.filter((k) => values[k] !== undefined && values[k] !== null).map((k) => [k, values[k]]));
}

async function runConfigStep(step: ConfigStep, ctx: StepContext, label: string): Promise<void> {
  const { workdir } = ctx;
  await workdir.writeConfig(step.config);
  await step.preConfig?.(ctx);

  if (step.planOnly) {
    const plan = await planWithJson(workdir, label, step.planCheck !== undefined);
    if (step.expectError) {
      expect(plan.result.code, `${label}: plan should fail`).toBe(1);
      expect(plan.result.stdout + plan.result.stderr).toMatch(step.expectError);
      return;
    }
    if (plan.result.code === 1) throw new TerraformCommandError(["plan"], plan.result);
    const changes = plan.view?.changed() ?? [];
    if (!step.expectNonEmptyPlan && changes.length > 0) {
      throw new Error(`${label}: expected an empty plan, got changes to ${changes.join(", ")}\n${plan.result.stdout}`);
    }
    if (step.expectNonEmptyPlan && changes.length === 0) throw new Error(`${label}: expected a non-empty plan`);
    if (plan.view) await step.planCheck?.(plan.view, ctx);
    return;
  }

  const applied = await workdir.run(["apply", "-auto-approve", "-no-color", ...(step.applyArgs ?? [])]);
  if (step.expectError) {
    expect(applied.code, `${label}: apply should fail\n${applied.stdout}`).not.toBe(0);
    expect(applied.stdout + applied.stderr).toMatch(step.expectError);
    await step.check?.(await ctx.state(), ctx);
    return;
  }
  if (applied.code !== 0) throw new TerraformCommandError(["apply"], applied);
  await step.check?.(await ctx.state(), ctx);

  await expectPlan(workdir, step.expectNonEmptyPlan ?? false, `${label}: plan after apply`, step, ctx);
  if (step.expectNonEmptyPlan) return;
  await workdir.ok(["apply", "-refresh-only", "-auto-approve", "-no-color"]);
  await expectPlan(workdir, false, `${label}: plan after refresh`, step, ctx);
}

/**
 * Plans, and reads the plan's JSON when there is something to look at: a plan with changes
 * (exit code 2), or any plan when `wantView` (a plan check). An empty plan (exit code 0) has no
 * resource changes, so the `show -json` (another Terraform and provider start) is skipped.
 */
async function planWithJson(workdir: TerraformWorkingDir, label: string, wantView: boolean): Promise<{ result: TerraformResult; view?: PlanView }> {
  const result = await workdir.run(["plan", "-no-color", "-detailed-exitcode", "-out=tfplan"]);
  if (result.code === 1) return { result };
  if (result.code !== 0 && result.code !== 2) throw new Error(`${label}: plan exited ${result.code}\n${result.stderr}`);
  if (result.code === 0 && !wantView) {
    await workdir.removeFile("tfplan");
    return { result };
  }
  const shown = await workdir.ok(["show", "-json", "tfplan"]);
  await workdir.removeFile("tfplan");
  return { result, view: new PlanView(JSON.parse(shown.stdout) as PlanJson, result.stdout) };
}

async function expectPlan(workdir: TerraformWorkingDir, nonEmpty: boolean, label: string, step: ConfigStep, ctx: StepContext): Promise<void> {
  const plan = await planWithJson(workdir, label, nonEmpty && step.planCheck !== undefined);
  if (plan.result.code === 1) throw new TerraformCommandError(["plan"], plan.result);
  const changes = plan.view?.changed() ?? [];
  if (!nonEmpty && changes.length > 0) {
    throw new Error(`${label}: expected no changes, but the plan changes ${changes.join(", ")}:\n${plan.result.stdout}`);
  }
  if (nonEmpty) {
    if (changes.length === 0) throw new Error(`${label}: expected a non-empty plan`);
    if (plan.view) await step.planCheck?.(plan.view, ctx);
  }
}

async function runImportStep(step: ImportStep, ctx: StepContext, lastConfig: string, label: string): Promise<void> {
  const applied = await ctx.state();
  const id = typeof step.importStateId === "function" ? step.importStateId(applied) : (step.importStateId ?? String(applied.attr(step.resourceName, "id")));
  const fresh = await TerraformWorkingDir.create({
    env: ctx.target.env,
    providerExecutable: ctx.target.providerExecutable,
    reattach: ctx.reattach,
    providerPool: ctx.target.providerPool,
  });
  try {
    const config = step.config ?? lastConfig;
    await fresh.writeConfig(config);
    let result: TerraformResult;
    if (step.import === "cli") {
      result = await fresh.run(["import", "-no-color", step.resourceName, id]);
    } else {
      // Import every object of the applied state, so the apply creates nothing beside them.
      const blocks = applied
        .resources()
        .map((r) => ({ to: r.address, id: r.address === step.resourceName ? id : String(r.values.id) }))
        .map((b) => `import {\n  to = ${b.to}\n  id = ${JSON.stringify(b.id)}\n}\n`);
      await fresh.writeConfig(blocks.join("\n"), "import.tf");
      result = await fresh.run(["apply", "-auto-approve", "-no-color"]);
    }
    if (step.expectError) {
      expect(result.code, `${label}: import should fail\n${result.stdout}`).not.toBe(0);
      expect(result.stdout + result.stderr).toMatch(step.expectError);
      return;
    }
    if (result.code !== 0) throw new TerraformCommandError(["import", step.resourceName, id], result);

    const imported = new StateView(await fresh.showState()).resource(step.resourceName);
    const original = applied.resource(step.resourceName);
    const ignore = new Set(step.verifyIgnore ?? []);
    const compare = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([k]) => !ignore.has(k)));
    expect(compare(imported.values), `${label}: imported attributes differ from the applied ones`).toEqual(compare(original.values));
    await step.checkImported?.(imported, { ...ctx, workdir: fresh });

    if (step.import === "block" && step.expectEmptyPlanAfter !== false) {
      await fresh.removeFile("import.tf");
      const plan = await fresh.run(["plan", "-no-color", "-detailed-exitcode"]);
      if (plan.code !== 0) throw new Error(`${label}: plan after import is not empty (exit ${plan.code}):\n${plan.stdout}${plan.stderr}`);
    }
  } finally {
    // The imported objects are the applied ones: forget them here, the main directory destroys them.
    await fresh.cleanup();
  }
}
