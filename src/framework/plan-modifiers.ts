/**
 * Per-attribute plan behaviour for in-place updates: what a change of one attribute means for
 * the rest of the planned object. An attribute whose change makes the apply produce new
 * computed values (a password reset, a key rotation) says so here, in its schema, and the
 * plan pipeline plans those values unknown ("known after apply") instead of keeping the prior
 * ones, so the apply may set them without contradicting the plan.
 */
import type { Value } from "../values/value.ts";
import { isNull, valuesEqual } from "../values/value.ts";

export interface AttributePlanRequest {
  /** The attribute's value in the prior state and in the plan so far. */
  readonly prior: Value;
  readonly planned: Value;
  /** The whole objects, for modifiers whose effect depends on other attributes. */
  readonly priorObject: Value;
  readonly plannedObject: Value;
}

export interface AttributePlanEffect {
  /** Computed attributes the apply will give new values: planned unknown. */
  readonly renew: readonly string[];
}

export interface AttributePlanModifier {
  /** Runs on update only (creates plan every computed value unknown anyway). */
  modify(request: AttributePlanRequest): AttributePlanEffect | undefined;
}

export interface RenewsOnChangeOptions {
  /** A change to null (removing the argument) renews nothing. */
  readonly exceptRemoval?: boolean;
}

/**
 * When the attribute's value changes, the listed computed attributes (or those `targets`
 * picks for the planned object) get new values from the apply.
 */
export function renewsOnChange(
  targets: readonly string[] | ((plannedObject: Value) => readonly string[]),
  options: RenewsOnChangeOptions = {},
): AttributePlanModifier {
  return {
    modify({ prior, planned, plannedObject }) {
      if (valuesEqual(prior, planned)) return undefined;
      if (options.exceptRemoval && isNull(planned)) return undefined;
      return { renew: typeof targets === "function" ? targets(plannedObject) : targets };
    },
  };
}
