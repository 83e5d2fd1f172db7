import type { CtyType } from "./cty-type.ts";

/**
 * One Terraform value, in one of three states. The type is not carried (the schema knows it),
 * except for values of an attribute whose type is `dynamic`, which remember the concrete type
 * they arrived with.
 *
 * Known payloads by type:
 *  - string: `string`; bool: `boolean`
 *  - number: `number` when a float64 holds it exactly, `bigint` for integers beyond 2^53,
 *    `string` (decimal text) for anything else, so no digit is ever rounded away
 *  - list, set, tuple: `readonly Value[]`
 *  - map, object: `ReadonlyMap<string, Value>` (a Map, so keys such as `__proto__` are safe)
 */
export type Value = NullValue | UnknownValue | KnownValue;

export type NumberPayload = number | bigint | string;
export type KnownPayload = string | boolean | NumberPayload | readonly Value[] | ReadonlyMap<string, Value>;

export interface NullValue {
  readonly kind: "null";
  readonly dynamicType?: CtyType;
}

export interface UnknownValue {
  readonly kind: "unknown";
  /**
   * The whole msgpack extension (header and payload) an unknown arrived as, so a refined
   * unknown can be sent back byte-for-byte. Absent for unknowns the provider makes itself.
   */
  readonly raw?: Uint8Array;
  /** What the refinement promises, when it could be read. */
  readonly refinement?: Refinement;
}

export interface Refinement {
  readonly notNull?: boolean;
  readonly stringPrefix?: string;
}

export interface KnownValue {
  readonly kind: "known";
  readonly value: KnownPayload;
  readonly dynamicType?: CtyType;
}

export const NULL: NullValue = Object.freeze({ kind: "null" });
export const UNKNOWN: UnknownValue = Object.freeze({ kind: "unknown" });

export function known(value: KnownPayload, dynamicType?: CtyType): KnownValue {
  return dynamicType === undefined ? { kind: "known", value } : { kind: "known", value, dynamicType };
}

export function stringValue(s: string | undefined | null): Value {
  return s === undefined || s === null ? NULL : known(s);
}

export function numberValue(n: number | bigint | undefined | null): Value {
  return n === undefined || n === null ? NULL : known(n);
}

export function listValue(items: readonly Value[]): KnownValue {
  return known(items);
}

export function objectValue(attributes: Record<string, Value> | ReadonlyMap<string, Value>): KnownValue {
  return known(attributes instanceof Map ? attributes : new Map(Object.entries(attributes)));
}

export function mapValue(entries: Record<string, Value> | ReadonlyMap<string, Value>): KnownValue {
  return objectValue(entries);
}

export const isNull = (v: Value | undefined): v is NullValue => v === undefined || v.kind === "null";
export const isUnknown = (v: Value | undefined): v is UnknownValue => v !== undefined && v.kind === "unknown";
export const isKnown = (v: Value | undefined): v is KnownValue => v !== undefined && v.kind === "known";

/** Reads a string payload; undefined when null, unknown or not a string. */
export function asString(v: Value | undefined): string | undefined {
  return v?.kind === "known" && typeof v.value === "string" ? v.value : undefined;
}

export function asBool(v: Value | undefined): boolean | undefined {
  return v?.kind === "known" && typeof v.value === "boolean" ? v.value : undefined;
}

/** Reads a number payload as a JS number (bigints and decimal text are converted, possibly inexactly). */
export function asNumber(v: Value | undefined): number | undefined {
  if (v?.kind !== "known") return undefined;
  const p = v.value;
  if (typeof p === "number") return p;
  if (typeof p === "bigint") return Number(p);
  if (typeof p === "string") {
    const n = Number(p);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

export function asList(v: Value | undefined): readonly Value[] | undefined {
  return v?.kind === "known" && Array.isArray(v.value) ? (v.value as readonly Value[]) : undefined;
}

export function asMap(v: Value | undefined): ReadonlyMap<string, Value> | undefined {
  return v?.kind === "known" && v.value instanceof Map ? v.value : undefined;
}

/** An attribute of an object value; a missing attribute reads as null. */
export function getAttribute(v: Value | undefined, name: string): Value {
  return asMap(v)?.get(name) ?? NULL;
}

/** Returns a copy of an object value with some attributes replaced. */
export function withAttributes(v: Value, changes: Record<string, Value>): KnownValue {
  const next = new Map(asMap(v) ?? []);
  for (const [name, value] of Object.entries(changes)) next.set(name, value);
  return known(next);
}

/** True when the value, or anything inside it, is unknown. */
export function containsUnknown(v: Value): boolean {
  if (v.kind === "unknown") return true;
  if (v.kind === "null") return false;
  const p = v.value;
  if (Array.isArray(p)) return (p as readonly Value[]).some(containsUnknown);
  if (p instanceof Map) {
    for (const item of p.values()) if (containsUnknown(item)) return true;
  }
  return false;
}

/**
 * Structural equality as Terraform sees it: unknowns are never equal to anything (not even
 * another unknown), numbers compare by value, sets compare as lists (the codec keeps
 * Terraform's order).
 */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "null") return true;
  if (a.kind === "unknown" || b.kind === "unknown") return false;
  return payloadsEqual(a.value, (b as KnownValue).value);
}

function payloadsEqual(a: KnownPayload, b: KnownPayload): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return (a as readonly Value[]).every((item, i) => valuesEqual(item, (b as readonly Value[])[i]!));
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, item] of a) {
      const other = b.get(k);
      if (other === undefined || !valuesEqual(item, other)) return false;
    }
    return true;
  }
  if (isNumberPayload(a) && isNumberPayload(b) && (typeof a !== "string" || typeof b !== "string")) {
    return numbersEqual(a, b);
  }
  return a === b;
}

function isNumberPayload(p: KnownPayload): p is NumberPayload {
  return typeof p === "number" || typeof p === "bigint" || typeof p === "string";
}

function numbersEqual(a: NumberPayload, b: NumberPayload): boolean {
  if (typeof a === "string" || typeof b === "string") return String(a) === String(b) || Number(a) === Number(b);
  if (typeof a === "bigint" || typeof b === "bigint") {
    try {
      return BigInt(a) === BigInt(b);
    } catch {
      return false;
    }
  }
  return a === b;
}

/** Attaches the concrete type a value of a `dynamic` attribute arrived with. */
export function withDynamicType(v: Value, type: CtyType): Value {
  if (type === "dynamic" || v.kind === "unknown") return v; // UnknownValue has no slot for a type
  return v.kind === "null" ? { kind: "null", dynamicType: type } : { kind: "known", value: v.value, dynamicType: type };
}

/** Works out a type for a dynamic value that arrived without one (tuples and objects, like cty). */
export function impliedType(v: Value): CtyType {
  if (v.kind !== "known") return "dynamic";
  if (v.dynamicType !== undefined) return v.dynamicType;
  const p = v.value;
  switch (typeof p) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
    case "bigint":
      return "number";
  }
  if (Array.isArray(p)) return ["tuple", (p as readonly Value[]).map(impliedType)];
  const attrs: Record<string, CtyType> = {};
  for (const [k, item] of p as ReadonlyMap<string, Value>) {
    Object.defineProperty(attrs, k, { value: impliedType(item), enumerable: true, writable: true, configurable: true });
  }
  return ["object", attrs];
}
