/**
 * Input constraints checked the way AWS's request validation reports them: every violation is
 * collected and reported together as "N validation error(s) detected: …" (ValidationError, 400).
 */
import { validationError } from "./iam-errors.ts";

export const USER_NAME_PATTERN = "[\\w+=,.@-]+";
const USER_NAME_REGEX = /^[\w+=,.@-]+$/;
export const CREDENTIAL_ID_PATTERN = "[\\w]+";
const WORD_REGEX = /^\w+$/;

function quote(value: string): string {
  return `'${value}'`;
}

export class Validator {
  private readonly violations: string[] = [];

  fail(field: string, value: string | null, constraint: string): void {
    const shown = value === null ? "null" : quote(value);
    this.violations.push(`Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`);
  }

  /** Records "must not be null" when absent; returns whether the value is present. */
  required(field: string, value: string | undefined): value is string {
    if (value === undefined) {
      this.fail(field, null, "Member must not be null");
      return false;
    }
    return true;
  }

  /** Length first, then pattern: one message per field, like IAM. */
  string(field: string, value: string | undefined, min: number, max: number, pattern?: { regex: RegExp; text: string }): boolean {
    if (value === undefined) return true;
    const length = [...value].length;
    if (length < min) {
      this.fail(field, value, `Member must have length greater than or equal to ${min}`);
      return false;
    }
    if (length > max) {
      this.fail(field, value, `Member must have length less than or equal to ${max}`);
      return false;
    }
    if (pattern && !pattern.regex.test(value)) {
      this.fail(field, value, `Member must satisfy regular expression pattern: ${pattern.text}`);
      return false;
    }
    return true;
  }

  userName(field: string, value: string | undefined): boolean {
    return this.string(field, value, 1, 64, { regex: USER_NAME_REGEX, text: USER_NAME_PATTERN });
  }

  credentialId(field: string, value: string | undefined): boolean {
    return this.string(field, value, 20, 128, { regex: WORD_REGEX, text: CREDENTIAL_ID_PATTERN });
  }

  accessKeyId(field: string, value: string | undefined): boolean {
    return this.string(field, value, 16, 128, { regex: WORD_REGEX, text: CREDENTIAL_ID_PATTERN });
  }

  path(field: string, value: string | undefined): boolean {
    return this.string(field, value, 1, 512, {
      regex: /^(\/|\/[\u0021-\u007E]+\/)$/,
      text: "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
    });
  }

  marker(field: string, value: string | undefined): boolean {
    return this.string(field, value, 1, 320, { regex: /^[\u0020-\u00FF]+$/, text: "[\\u0020-\\u00FF]+" });
  }

  /** Parses an integer parameter and checks its range; undefined when absent or invalid. */
  integer(field: string, raw: string | undefined, min: number, max: number): number | undefined {
    if (raw === undefined) return undefined;
    if (!/^[+-]?\d+$/.test(raw.trim())) {
      this.fail(field, raw, "Member must be an integer");
      return undefined;
    }
    const value = Number(raw.trim());
    if (value < min) {
      this.fail(field, raw.trim(), `Member must have value greater than or equal to ${min}`);
      return undefined;
    }
    if (value > max) {
      this.fail(field, raw.trim(), `Member must have value less than or equal to ${max}`);
      return undefined;
    }
    return value;
  }

  boolean(field: string, raw: string | undefined): boolean | undefined {
    if (raw === undefined) return undefined;
    const lowered = raw.trim().toLowerCase();
    if (lowered === "true") return true;
    if (lowered === "false") return false;
    this.fail(field, raw, "Member must be a boolean");
    return undefined;
  }

  enumValue<T extends string>(field: string, value: string | undefined, allowed: readonly T[]): value is T {
    if (value === undefined) return false;
    if ((allowed as readonly string[]).includes(value)) return true;
    this.fail(field, value, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
    return false;
  }

  get ok(): boolean {
    return this.violations.length === 0;
  }

  throwIfInvalid(): void {
    const count = this.violations.length;
    if (count === 0) return;
    const noun = count === 1 ? "validation error" : "validation errors";
    throw validationError(`${count} ${noun} detected: ${this.violations.join("; ")}`);
  }
}
