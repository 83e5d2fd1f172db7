/**
 * Turns Terraform's proposed new state into the planned state, following the rules Terraform
 * checks on the way back:
 *  - defaults fill attributes the configuration leaves null;
 *  - on create, computed attributes the configuration leaves null are unknown until apply;
 *  - on update, they stay as they were when `stable`, and become unknown otherwise, or when
 *    an attribute's plan modifier says its change renews them;
 *  - `requiresReplace` attributes whose value changes force a replacement, and a replacement
 *    plans every computed attribute afresh;
 *  - write-only values are never planned.
 * Planning must be deterministic: Terraform plans again in the apply process and compares.
 */
import type { Value } from "../values/value.ts";
import { NULL, UNKNOWN, asMap, isNull, known, valuesEqual } from "../values/value.ts";
import type { AttributePath, Diagnostics } from "./diagnostics.ts";
import type { PrivateNotes, Resource } from "./resource.ts";

interface PlannedChange {
  planned: Value;
  requiresReplace: AttributePath[];
}

export function planResourceChange<C>(
  resource: Resource<C>,
  prior: Value,
  proposed: Value,
  config: Value,
  client: C | undefined,
  diags: Diagnostics,
  notes: PrivateNotes = {},
): PlannedChange {
  // Destroy: nothing to plan.
  if (isNull(proposed)) return { planned: NULL, requiresReplace: [] };

  const attributes = resource.schema.block.attributes;
  const creating = isNull(prior);
  const configAttrs = asMap(config) ?? new Map<string, Value>();
  const priorAttrs = asMap(prior) ?? new Map<string, Value>();
  const planned = new Map(asMap(proposed) ?? []);
  const unset = (name: string) => isNull(configAttrs.get(name));

  for (const [name, schema] of Object.entries(attributes)) {
    if (schema.writeOnly) planned.set(name, NULL);
    else if (schema.default !== undefined && unset(name)) planned.set(name, schema.default);
  }

  const fresh = (stableToo: boolean) => {
    for (const [name, schema] of Object.entries(attributes)) {
      if (!schema.computed || !unset(name) || schema.default !== undefined || schema.writeOnly) continue;
      if (!stableToo && schema.stable) continue;
      planned.set(name, UNKNOWN);
    }
  };

  if (creating) fresh(true);
  else if (changed(planned, priorAttrs)) fresh(false);

  if (!creating) {
    const plannedObject = known(new Map(planned));
    for (const [name, schema] of Object.entries(attributes)) {
      for (const modifier of schema.planModifiers ?? []) {
        const effect = modifier.modify({ prior: priorAttrs.get(name) ?? NULL, planned: planned.get(name) ?? NULL, priorObject: prior, plannedObject });
        for (const target of effect?.renew ?? []) {
          const t = attributes[target];
          // Only values the provider sets can be renewed; a configured value stays as written.
          if (t?.computed && unset(target) && !t.writeOnly) planned.set(target, UNKNOWN);
        }
      }
    }
  }

  const requiresReplace: AttributePath[] = [];
  if (!creating) {
    for (const [name, schema] of Object.entries(attributes)) {
      if (schema.requiresReplace && !valuesEqual(planned.get(name) ?? NULL, priorAttrs.get(name) ?? NULL)) requiresReplace.push([name]);
    }
  }

  const modification = { planned: known(planned) as Value, requiresReplace };
  resource.modifyPlan?.({ prior, config, client, notes }, modification, diags);

  if (!creating && modification.requiresReplace.length > 0) {
    const replanned = new Map(asMap(modification.planned) ?? []);
    for (const [name, schema] of Object.entries(attributes)) {
      if (schema.computed && unset(name) && schema.default === undefined && !schema.writeOnly) replanned.set(name, UNKNOWN);
    }
    modification.planned = known(replanned);
  }
  return modification;
}

function changed(planned: ReadonlyMap<string, Value>, prior: ReadonlyMap<string, Value>): boolean {
  for (const [name, value] of planned) {
    if (!valuesEqual(value, prior.get(name) ?? NULL)) return true;
  }
  return false;
}
