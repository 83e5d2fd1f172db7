/**
 * A type's JSON text as go-cty writes it (object attributes sorted bytewise), and its parse with a
 * nesting guard. Schemas and dynamic values both carry types in this form.
 */
import { parseCtyType, type CtyType } from "./cty-type.ts";
import { MAX_VALUE_DEPTH, ValueDecodeError } from "./value-errors.ts";

interface ObjectInfo {
  readonly names: readonly string[]; // sorted, as go-cty writes them
  readonly types: ReadonlyMap<string, CtyType>;
}

// Schema types are long-lived objects, so the sorted attribute list is worked out once per type.
const objectInfos = new WeakMap<object, ObjectInfo>();

export function objectInfo(type: readonly ["object", Readonly<Record<string, CtyType>>, ...unknown[]]): ObjectInfo {
  let info = objectInfos.get(type);
  if (info === undefined) {
    const entries = Object.entries(type[1]);
    const types = new Map(entries);
    info = { names: [...types.keys()].sort(compareUtf8), types };
    objectInfos.set(type, info);
  }
  return info;
}

// Go sorts strings bytewise; for UTF-16 that equals code point order except around surrogates.
function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

const typeJsonCache = new WeakMap<object, string>();

/** A type's JSON as go-cty writes it (object attributes in sorted order). */
export function typeToJson(type: CtyType): string {
  if (typeof type === "string") return JSON.stringify(type);
  let text = typeJsonCache.get(type);
  if (text === undefined) {
    text = JSON.stringify(sortedTypeJson(type));
    typeJsonCache.set(type, text);
  }
  return text;
}

function sortedTypeJson(type: CtyType): unknown {
  if (typeof type === "string") return type;
  switch (type[0]) {
    case "list":
    case "set":
    case "map":
      return [type[0], sortedTypeJson(type[1])];
    case "tuple":
      return ["tuple", type[1].map(sortedTypeJson)];
    case "object": {
      const attrs: Record<string, unknown> = {};
      for (const name of objectInfo(type).names) {
        Object.defineProperty(attrs, name, { value: sortedTypeJson(type[1][name]!), enumerable: true, writable: true, configurable: true });
      }
      return type.length === 3 ? ["object", attrs, [...type[2]].sort(compareUtf8)] : ["object", attrs];
    }
  }
}

const parsedTypes = new Map<string, CtyType>();

/** Parses a dynamic value's type JSON; refuses nesting deep enough to exhaust the stack. */
export function parseTypeJson(text: string): CtyType {
  const cached = parsedTypes.get(text);
  if (cached !== undefined) return cached;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > 2 * MAX_VALUE_DEPTH) throw new ValueDecodeError("dynamic type is nested too deeply");
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  let type: CtyType;
  try {
    type = parseCtyType(JSON.parse(text));
  } catch (e) {
    throw new ValueDecodeError(`invalid dynamic type ${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)}: ${(e as Error).message}`);
  }
  if (parsedTypes.size >= 256) parsedTypes.clear();
  parsedTypes.set(text, type);
  return type;
}
