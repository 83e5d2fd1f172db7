/**
 * Attribute validators. They only ever see known, non-null values: Terraform validates
 * configurations that still contain unknowns, and those are checked again at plan time.
 */
import type { KnownValue } from "../values/value.ts";
import { asNumber, asString } from "../values/value.ts";
import type { AttributePath, Diagnostics } from "./diagnostics.ts";

export interface Validator {
  validate(value: KnownValue, path: AttributePath, diags: Diagnostics): void;
}

export function stringOneOf(allowed: readonly string[], explain?: (value: string) => string | undefined): Validator {
  return {
    validate(value, path, diags) {
      const s = asString(value);
      if (s === undefined || allowed.includes(s)) return;
      const extra = explain?.(s);
      diags.error(
        "Invalid attribute value",
        `${JSON.stringify(s)} is not allowed here; expected one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}.${extra ? ` ${extra}` : ""}`,
        path,
      );
    },
  };
}

export function stringLengthBetween(min: number, max: number): Validator {
  return {
    validate(value, path, diags) {
      const s = asString(value);
      if (s === undefined) return;
      const length = [...s].length;
      if (length < min || length > max) {
        diags.error("Invalid attribute value", `must be ${min} to ${max} characters long, got ${length}.`, path);
      }
    },
  };
}

export function stringMatches(pattern: RegExp, description: string): Validator {
  return {
    validate(value, path, diags) {
      const s = asString(value);
      if (s === undefined || pattern.test(s)) return;
      diags.error("Invalid attribute value", `${JSON.stringify(s)} ${description}.`, path);
    },
  };
}

export function integerBetween(min: number, max: number): Validator {
  return {
    validate(value, path, diags) {
      const n = asNumber(value);
      if (n === undefined) return;
      if (!Number.isInteger(n) || n < min || n > max) {
        diags.error("Invalid attribute value", `must be a whole number from ${min} to ${max}, got ${String(value.value)}.`, path);
      }
    },
  };
}

export function validUrl(): Validator {
  return {
    validate(value, path, diags) {
      const s = asString(value);
      if (s === undefined || s === "") return;
      let url: URL | undefined;
      try {
        url = new URL(s);
      } catch {
        // reported below
      }
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
        diags.error("Invalid endpoint URL", `${JSON.stringify(s)} is not an http:// or https:// URL.`, path);
      }
    },
  };
}
