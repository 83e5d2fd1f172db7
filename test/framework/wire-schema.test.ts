// Schemas, diagnostics and attribute paths in their wire shapes (wire-schema.ts), the parts
// to-wire.ts builds responses of.
import { describe, expect, it } from "vitest";
import { attributePathToWire, blockToWire, diagnosticsToWire, schemaToWire } from "../../src/framework/wire-schema.ts";
import { ctyString } from "../../src/values/cty-type.ts";
import { widgetSchema } from "../support/widget-resource.ts";

describe("schemaToWire and blockToWire", () => {
  it("write attribute types as JSON bytes, the flags as booleans, and nested blocks with their nesting", () => {
    const wire = schemaToWire(widgetSchema);
    expect(wire.version).toBe(1);
    const attr = (n: string) => wire.block!.attributes!.find((a) => a.name === n)!;
    expect(Buffer.isBuffer(attr("tags").type)).toBe(true);
    expect(Buffer.from(attr("tags").type!).toString()).toBe('["map","string"]');
    expect(attr("secret")).toMatchObject({
      sensitive: true,
      computed: true,
      optional: false,
      required: false,
      deprecated: false,
      description_kind: "MARKDOWN",
    });
    expect(attr("token")).toMatchObject({ write_only: true });
    expect(wire.block!.block_types).toEqual([expect.objectContaining({ type_name: "rule", nesting: "LIST", min_items: 0, max_items: 0 })]);
  });

  it("writes single and set blocks, limits, and a block without description or blocks", () => {
    const block = blockToWire({
      attributes: {},
      blocks: {
        one: { nesting: "single", block: { attributes: { a: { type: ctyString, optional: true, description: "a" } } } },
        many: { nesting: "set", minItems: 1, maxItems: 3, block: { attributes: {} } },
      },
    });
    expect(block.description).toBe("");
    expect(block.block_types!.map((b) => [b.type_name, b.nesting, b.min_items, b.max_items])).toEqual([
      ["one", "SINGLE", 0, 0],
      ["many", "SET", 1, 3],
    ]);
    expect(block.block_types![1]!.block).toMatchObject({ attributes: [], block_types: [] });
  });
});

describe("diagnosticsToWire", () => {
  it("writes severity, summary and detail, and the path only when there is one", () => {
    expect(
      diagnosticsToWire([
        { severity: "error", summary: "Bad", detail: "very", path: ["rule", 1, "port"] },
        { severity: "warning", summary: "Hm", detail: "", path: [] },
        { severity: "warning", summary: "Odd", detail: "x" },
      ]),
    ).toEqual([
      {
        severity: "ERROR",
        summary: "Bad",
        detail: "very",
        attribute: { steps: [{ attribute_name: "rule" }, { element_key_int: 1 }, { attribute_name: "port" }] },
      },
      { severity: "WARNING", summary: "Hm", detail: "" },
      { severity: "WARNING", summary: "Odd", detail: "x" },
    ]);
    expect(diagnosticsToWire([])).toEqual([]);
  });
});

describe("attributePathToWire", () => {
  it("writes names, list indexes and map keys as steps", () => {
    expect(attributePathToWire(["tags", { key: "Name" }])).toEqual({ steps: [{ attribute_name: "tags" }, { element_key_string: "Name" }] });
    expect(attributePathToWire(["rule", 0])).toEqual({ steps: [{ attribute_name: "rule" }, { element_key_int: 0 }] });
    expect(attributePathToWire([])).toEqual({ steps: [] });
  });
});
