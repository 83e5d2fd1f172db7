/**
 * Terraform numbers are arbitrary-precision; go-cty writes those that fit neither int64 nor float64
 * as decimal text. These read such text without losing a digit.
 */
import type { NumberPayload } from "./value.ts";

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
/** The largest integer a float64 holds exactly, as a bigint. */
export const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

interface Decimal {
  neg: boolean;
  digits: string; // no leading or trailing zeros; "" for zero
  exp: number; // value = digits * 10^exp
}

function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text);
  if (m === null) return undefined;
  const frac = m[3] ?? "";
  const expText = m[4] ?? "0";
  if (expText.length > 9) return undefined;
  let digits = (m[2]! + frac).replace(/^0+/, "");
  const trimmed = digits.replace(/0+$/, "");
  const exp = Number(expText) - frac.length + (digits.length - trimmed.length);
  digits = trimmed;
  return { neg: m[1] === "-" && digits !== "", digits, exp: digits === "" ? 0 : exp };
}

/**
 * Reads a number from decimal text (go-cty writes numbers that fit neither int64 nor float64
 * this way): integers become number or bigint exactly; fractions become a number when the
 * float's own shortest text is the same decimal, else the text is kept so no digit is lost.
 * Returns undefined when the text is not a decimal number.
 */
export function numberFromText(text: string): NumberPayload | undefined {
  const d = parseDecimal(text);
  if (d === undefined) return undefined;
  if (d.digits === "") return 0;
  if (d.exp >= 0) {
    if (d.digits.length + d.exp > 1000) return text; // absurdly large: keep as text
    const magnitude = BigInt(d.digits + "0".repeat(d.exp));
    const n = d.neg ? -magnitude : magnitude;
    return n <= MAX_SAFE && n >= -MAX_SAFE ? Number(n) : n;
  }
  const f = Number(text);
  if (!Number.isFinite(f)) return text;
  const back = parseDecimal(String(f));
  return back !== undefined && back.neg === d.neg && back.digits === d.digits && back.exp === d.exp ? f : text;
}

export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text);
}
