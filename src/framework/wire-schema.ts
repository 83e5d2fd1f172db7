/** Framework schemas, diagnostics and attribute paths in their tfplugin6 wire shapes: the parts responses are built of. */
import type * as tf from "../generated/protocol-types.ts";
import { typeToJson } from "../values/type-json.ts";
import type { AttributePath, Diagnostic } from "./diagnostics.ts";
import type { BlockSchema, Schema } from "./schema.ts";

export function schemaToWire(schema: Schema): tf.Schema {
  return { version: schema.version, block: blockToWire(schema.block) };
}

export function blockToWire(block: BlockSchema): tf.Schema_Block {
  return {
    version: 0,
    description: block.description ?? "",
    description_kind: "MARKDOWN",
    attributes: Object.entries(block.attributes).map(([name, a]) => ({
      name,
      // A bytes field: a JS string here would be read as base64 and crash Terraform.
      type: Buffer.from(typeToJson(a.type)),
      description: a.description,
      description_kind: "MARKDOWN",
      required: Boolean(a.required),
      optional: Boolean(a.optional),
      computed: Boolean(a.computed),
      sensitive: Boolean(a.sensitive),
      deprecated: Boolean(a.deprecated),
      write_only: Boolean(a.writeOnly),
    })),
    block_types: Object.entries(block.blocks ?? {}).map(([name, b]) => ({
      type_name: name,
      block: blockToWire(b.block),
      nesting: b.nesting === "single" ? "SINGLE" : b.nesting === "list" ? "LIST" : "SET",
      min_items: b.minItems ?? 0,
      max_items: b.maxItems ?? 0,
    })),
  };
}

export function diagnosticsToWire(items: readonly Diagnostic[]): tf.Diagnostic[] {
  return items.map((d) => ({
    severity: d.severity === "error" ? "ERROR" : "WARNING",
    summary: d.summary,
    detail: d.detail,
    ...(d.path && d.path.length > 0 ? { attribute: attributePathToWire(d.path) } : {}),
  }));
}

export function attributePathToWire(path: AttributePath): tf.AttributePath {
  return {
    steps: path.map((step) =>
      typeof step === "string" ? { attribute_name: step } : typeof step === "number" ? { element_key_int: step } : { element_key_string: step.key },
    ),
  };
}
