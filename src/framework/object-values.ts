/** Walking and reshaping object values by their block schema. */
import type { Value } from "../values/value.ts";
import { NULL, asList, asMap, isKnown, isUnknown, known } from "../values/value.ts";
import type { AttributePath } from "./diagnostics.ts";
import type { AttributeSchema, BlockSchema } from "./schema.ts";
import { redactor } from "../logging/logger.ts";

/**
 * Gives the object exactly the schema's attributes and blocks: missing ones become null (or,
 * for list and set blocks, empty), unknown names are dropped. Msgpack objects must carry one
 * entry per attribute, so everything a resource returns passes through here.
 */
export function normalizeObject(block: BlockSchema, value: Value): Value {
  if (!isKnown(value)) return value;
  const source = asMap(value) ?? new Map<string, Value>();
  const out = new Map<string, Value>();
  for (const name of Object.keys(block.attributes)) out.set(name, source.get(name) ?? NULL);
  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const v = source.get(name);
    if (nested.nesting === "single") out.set(name, v ? normalizeObject(nested.block, v) : NULL);
    else {
      const items = asList(v);
      // List and set blocks are never null: a missing or null one is empty.
      out.set(name, isUnknown(v) ? v : known((items ?? []).map((item) => normalizeObject(nested.block, item))));
    }
  }
  return known(out);
}

type AttributeVisitor = (attribute: AttributeSchema, value: Value, path: AttributePath) => void;

/** Visits every attribute of an object value, nested blocks included. */
export function forEachAttribute(block: BlockSchema, value: Value, visit: AttributeVisitor, path: AttributePath = []): void {
  const attrs = asMap(value);
  if (!attrs) return;
  for (const [name, schema] of Object.entries(block.attributes)) visit(schema, attrs.get(name) ?? NULL, [...path, name]);
  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const v = attrs.get(name);
    if (nested.nesting === "single") {
      if (v) forEachAttribute(nested.block, v, visit, [...path, name]);
    } else {
      for (const [i, item] of (asList(v) ?? []).entries()) forEachAttribute(nested.block, item, visit, [...path, name, i]);
    }
  }
}

/** Tells the log redactor about every sensitive value in the object. */
export function registerSecrets(block: BlockSchema, value: Value): void {
  forEachAttribute(block, value, (schema, v) => {
    if (schema.sensitive && v.kind === "known" && typeof v.value === "string") redactor.add(v.value);
  });
}

/** Apply results must be wholly known; anything a resource left unknown becomes null. */
export function unknownsToNull(value: Value): Value {
  if (value.kind === "unknown") return NULL;
  if (value.kind === "null") return value;
  const p = value.value;
  if (Array.isArray(p)) return known((p as readonly Value[]).map(unknownsToNull), value.dynamicType);
  if (p instanceof Map) {
    const out = new Map<string, Value>();
    for (const [k, v] of p) out.set(k, unknownsToNull(v));
    return known(out, value.dynamicType);
  }
  return value;
}
