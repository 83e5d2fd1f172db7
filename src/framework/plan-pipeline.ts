/**
 * Turns Terraform's proposed new state into the planned state, following the rules Terraform
 * checks on the way back:
 *  - defaults fill attributes the configuration leaves null;
 *  - on create, computed attributes the configuration leaves null are unknown until apply;
 *  - on update, they stay as they were when `stable`, and become unknown otherwise, or when
 *    an attribute's plan modifier says its change renews them;
 *  - `requiresReplace` attributes whose value changes force a replacement, and a replacement
 *    plans every computed attribute afresh;
 *  - write-only values are never planned;
 *  - then the resource's own hook (modifyPlan; modifyDestroyPlan on destroy).
 * Each step is logged at trace level with the attributes it changed.
 * Planning must be deterministic: Terraform plans again in the apply process and compares.
 */
import type { Value } from "../values/value.ts";
import { NULL, UNKNOWN, asMap, isNull, known, valuesEqual } from "../values/value.ts";
import type { AttributePath, Diagnostics } from "./diagnostics.ts";
import type { Logger } from "../logging/logger.ts";
import type { Resource } from "./resource.ts";
import type { ModifyPlanRequest, ModifyPlanResponse, PrivateNotes } from "./resource-requests.ts";
import type { Schema } from "./schema.ts";

interface PlannedChange {
  planned: Value;
  requiresReplace: AttributePath[];
}

export interface PlanInput<C> {
  /** Null when the object is being created. */
  readonly prior: Value;
  /** Terraform's proposed new state; null when the object is being destroyed. */
  readonly proposed: Value;
  readonly config: Value;
  readonly client: C | undefined;
  /** The prior object's notes; none when left out. */
  readonly private?: Readonly<PrivateNotes>;
}

/** What the steps work on: the planned attributes, changed in place, and what they found. */
interface PlanWork {
  readonly prior: Value;
  readonly attributes: Schema["block"]["attributes"];
  readonly creating: boolean;
  readonly configAttrs: ReadonlyMap<string, Value>;
  readonly priorAttrs: ReadonlyMap<string, Value>;
  readonly planned: Map<string, Value>;
  readonly requiresReplace: AttributePath[];
}

/** The pipeline's steps, in order; each is logged with the attributes it changed. */
const STEPS: readonly { readonly name: string; run(work: PlanWork): void }[] = [
  { name: "defaults", run: applyDefaults },
  { name: "unknown marking", run: markUnknowns },
  { name: "requires-replace", run: findReplacements },
];

export function planResourceChange<C>(resource: Resource<C>, input: PlanInput<C>, diags: Diagnostics, logger?: Logger): PlannedChange {
  const { prior, proposed, config, client } = input;
  const request: ModifyPlanRequest<C> = { prior, config, proposed, client, private: input.private ?? {} };
  const log = logger?.enabled("trace") ? logger.with({ tf_resource_type: resource.typeName }) : undefined;
  if (isNull(proposed)) {
    // Destroy: nothing to plan, but the resource may have something to say about it.
    resource.modifyDestroyPlan?.(request, { diagnostics: diags });
    log?.trace("plan step", { tf_plan_step: "destroy hook" });
    return { planned: NULL, requiresReplace: [] };
  }

  const work: PlanWork = {
    prior,
    attributes: resource.schema.block.attributes,
    creating: isNull(prior),
    configAttrs: asMap(config) ?? new Map<string, Value>(),
    priorAttrs: asMap(prior) ?? new Map<string, Value>(),
    planned: new Map(asMap(proposed) ?? []),
    requiresReplace: [],
  };
  for (const step of STEPS) {
    const before = log ? new Map(work.planned) : undefined;
    step.run(work);
    if (log && before) log.trace("plan step", { tf_plan_step: step.name, tf_attributes_changed: changedNames(before, work.planned) });
  }

  const modification: ModifyPlanResponse = { planned: known(work.planned), requiresReplace: work.requiresReplace, diagnostics: diags };
  resource.modifyPlan?.(request, modification);
  log?.trace("plan step", { tf_plan_step: "resource hook", tf_requires_replace: modification.requiresReplace.map((p) => p.join(".")).join(",") });

  if (!work.creating && modification.requiresReplace.length > 0) {
    // A replacement is a new object: every computed attribute the configuration leaves open is unknown.
    const replanned = new Map(asMap(modification.planned) ?? []);
    for (const [name, schema] of Object.entries(work.attributes)) {
      if (schema.computed && isNull(work.configAttrs.get(name)) && schema.default === undefined && !schema.writeOnly) replanned.set(name, UNKNOWN);
    }
    modification.planned = known(replanned);
    log?.trace("plan step", { tf_plan_step: "replacement" });
  }
  return { planned: modification.planned, requiresReplace: modification.requiresReplace };
}

function applyDefaults(work: PlanWork): void {
  for (const [name, schema] of Object.entries(work.attributes)) {
    if (schema.writeOnly) work.planned.set(name, NULL);
    else if (schema.default !== undefined && isNull(work.configAttrs.get(name))) work.planned.set(name, schema.default);
  }
}

/** Computed attributes the configuration leaves open: unknown on create, on update unless stable, and when a modifier renews them. */
function markUnknowns(work: PlanWork): void {
  const { attributes, planned, configAttrs, priorAttrs } = work;
  const unset = (name: string) => isNull(configAttrs.get(name));
  const fresh = (stableToo: boolean) => {
    for (const [name, schema] of Object.entries(attributes)) {
      if (!schema.computed || !unset(name) || schema.default !== undefined || schema.writeOnly) continue;
      if (!stableToo && schema.stable) continue;
      planned.set(name, UNKNOWN);
    }
  };
  if (work.creating) {
    fresh(true);
    return;
  }
  if (changed(planned, priorAttrs)) fresh(false);
  const plannedObject = known(new Map(planned));
  for (const [name, schema] of Object.entries(attributes)) {
    for (const modifier of schema.planModifiers ?? []) {
      const effect = modifier.modify({ prior: priorAttrs.get(name) ?? NULL, planned: planned.get(name) ?? NULL, priorObject: work.prior, plannedObject });
      for (const target of effect?.renew ?? []) {
        const t = attributes[target];
        // Only values the provider sets can be renewed; a configured value stays as written.
        if (t?.computed && unset(target) && !t.writeOnly) planned.set(target, UNKNOWN);
      }
    }
  }
}

function findReplacements(work: PlanWork): void {
  if (work.creating) return;
  for (const [name, schema] of Object.entries(work.attributes)) {
    if (schema.requiresReplace && !valuesEqual(work.planned.get(name) ?? NULL, work.priorAttrs.get(name) ?? NULL)) work.requiresReplace.push([name]);
  }
}

function changedNames(before: ReadonlyMap<string, Value>, after: ReadonlyMap<string, Value>): string {
  const names: string[] = [];
  for (const [name, value] of after) if (!valuesEqual(value, before.get(name) ?? NULL)) names.push(name);
  return names.join(",");
}

function changed(planned: ReadonlyMap<string, Value>, prior: ReadonlyMap<string, Value>): boolean {
  for (const [name, value] of planned) {
    if (!valuesEqual(value, prior.get(name) ?? NULL)) return true;
  }
  return false;
}
