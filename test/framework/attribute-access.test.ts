// Typed attribute access: reads, writes and required values of an object by its schema, and
// (checked by tsc, which covers test/) the names and types the compiler refuses.
import { describe, expect, it } from "vitest";
import { attributeAccess } from "../../src/framework/attribute-access.ts";
import { defineSchema } from "../../src/framework/schema.ts";
import { ctyBool, ctyMap, ctyNumber, ctyString } from "../../src/values/cty-type.ts";
import type { Value } from "../../src/values/value.ts";
import { NULL, UNKNOWN, getAttribute, known, mapValue, objectValue, valuesEqual } from "../../src/values/value.ts";

const schema = defineSchema({
  version: 0,
  block: {
    attributes: {
      name: { type: ctyString, required: true, description: "a string" },
      size: { type: ctyNumber, optional: true, description: "a number" },
      enabled: { type: ctyBool, optional: true, description: "a bool" },
      labels: { type: ctyMap(ctyString), optional: true, description: "a map" },
    },
    blocks: {
      part: { nesting: "single", block: { attributes: { id: { type: ctyString, computed: true, description: "nested" } } } },
    },
  },
});

const widget = attributeAccess(schema.block);
const part = objectValue({ id: known("p-1") });
const full = objectValue({ name: known("alice"), size: known(3), enabled: known(true), labels: mapValue({ team: known("a") }), part });
const empty = objectValue({ name: NULL, size: UNKNOWN, enabled: NULL });

describe("attributeAccess", () => {
  it("keeps the schema as declared", () => {
    expect(schema.block.attributes.name.type).toBe("string");
  });

  it("reads known primitives", () => {
    const w = widget(full);
    expect(w.string("name")).toBe("alice");
    expect(w.number("size")).toBe(3);
    expect(w.bool("enabled")).toBe(true);
    expect(w.requireString("name")).toBe("alice");
    expect(w.requireNumber("size")).toBe(3);
    expect(w.requireBool("enabled")).toBe(true);
  });

  it("reads null, unknown and missing attributes as undefined", () => {
    const w = widget(empty);
    expect(w.string("name")).toBeUndefined();
    expect(w.number("size")).toBeUndefined();
    expect(w.bool("enabled")).toBeUndefined();
    expect(w.get("labels")).toBe(NULL);
    expect(w.get("part")).toBe(NULL);
    expect(widget(NULL).string("name")).toBeUndefined();
    expect(widget(UNKNOWN).get("size")).toBe(NULL);
  });

  it("gets attributes and nested blocks as values", () => {
    const w = widget(full);
    expect(valuesEqual(w.get("labels"), mapValue({ team: known("a") }))).toBe(true);
    expect(w.get("part")).toBe(part);
  });

  it("tells null from unknown", () => {
    const w = widget(empty);
    expect(w.isNull("name")).toBe(true);
    expect(w.isUnknown("name")).toBe(false);
    expect(w.isNull("size")).toBe(false);
    expect(w.isUnknown("size")).toBe(true);
    expect(w.isNull("labels")).toBe(true);
    expect(widget(full).isNull("name")).toBe(false);
  });

  it("refuses a required read of a null or unknown attribute, naming it", () => {
    expect(() => widget(empty).requireString("name")).toThrow('Attribute "name" has no known value here (it is null).');
    expect(() => widget(empty).requireNumber("size")).toThrow('Attribute "size" has no known value here (it is unknown).');
    expect(() => widget(NULL).requireBool("enabled")).toThrow(/"enabled"/);
  });

  it("replaces attributes in a copy", () => {
    const before = widget(full);
    const after = widget(before.with({ name: known("bob"), size: NULL, enabled: undefined }));
    expect(after.string("name")).toBe("bob");
    expect(after.isNull("size")).toBe(true);
    expect(after.bool("enabled")).toBe(true);
    expect(after.get("part")).toBe(part);
    expect(before.string("name")).toBe("alice");
    // A null object becomes an object holding the changes.
    expect(getAttribute(widget(NULL).with({ name: known("x") }), "name")).toEqual(known("x"));
  });

  it("picks attributes to carry over", () => {
    const picked: Record<"name" | "labels", Value> = widget(full).pick(["name", "labels"]);
    expect(Object.keys(picked)).toEqual(["name", "labels"]);
    expect(picked.name).toEqual(known("alice"));
  });

  it("refuses misspelt names and wrong types at compile time, and at run time when a cast lets them through", () => {
    const w = widget(full);
    // @ts-expect-error: not an attribute
    expect(() => w.string("nmae")).toThrow('The schema has no attribute "nmae".');
    // @ts-expect-error: not an attribute or block
    expect(() => w.get("prat")).toThrow(/no attribute "prat"/);
    // @ts-expect-error: not an attribute
    expect(() => w.isNull("sise")).toThrow(/no attribute "sise"/);
    // @ts-expect-error: not an attribute
    expect(() => w.with({ nmae: known("x") })).toThrow(/no attribute "nmae"/);
    // @ts-expect-error: not an attribute
    expect(() => w.pick(["nmae"])).toThrow(/no attribute "nmae"/);
    // @ts-expect-error: a string attribute read as a number
    expect(() => w.number("name")).toThrow('Attribute "name" is not of type number.');
    // @ts-expect-error: a number attribute read as a string
    expect(() => w.requireString("size")).toThrow('Attribute "size" is not of type string.');
    // @ts-expect-error: a map is not a string
    expect(() => w.string("labels")).toThrow(/not of type string/);
    // @ts-expect-error: a nested block has no primitive value
    expect(() => w.bool("part")).toThrow(/not of type bool/);
    // Changes built elsewhere are checked too, not only a literal written in the call.
    const built: Record<string, Value> = { nmae: known("x") };
    // @ts-expect-error: a record of any names
    expect(() => w.with(built)).toThrow(/no attribute "nmae"/);
    const spread = { name: known("y"), ...{ sise: known(2) } };
    // @ts-expect-error: a misspelt name arriving through a spread
    expect(() => w.with(spread)).toThrow(/no attribute "sise"/);
  });
});
