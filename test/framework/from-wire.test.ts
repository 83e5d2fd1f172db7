// Wire requests into framework requests (from-wire.ts), one block per message: values decoded
// by the schema, private state read, every field missing or empty in turn, and a value that
// does not decode turned into an error diagnostic rather than a throw.
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../src/framework/diagnostics.ts";
import * as fromWire from "../../src/framework/from-wire.ts";
import { blockType } from "../../src/framework/schema.ts";
import type * as tf from "../../src/generated/protocol-types.ts";
import { encodeDynamicValue } from "../../src/protocol/dynamic-value.ts";
import type { Value } from "../../src/values/value.ts";
import { NULL, UNKNOWN, asString, getAttribute, isNull, known, objectValue, valuesEqual } from "../../src/values/value.ts";
import { WIDGET, widget, widgetProvider, widgetResource, widgetSchema } from "../support/widget-resource.ts";

const providerSchema = widgetProvider(widgetResource()).schema;
const dv = (v: Value) => encodeDynamicValue(v, blockType(widgetSchema.block));
/** Every way Terraform (or a client) can leave a value out. */
const MISSING: (tf.DynamicValue | null | undefined)[] = [undefined, null, {}, { msgpack: new Uint8Array(0) }, { msgpack: null, json: new Uint8Array(0) }];
/** 0xc1 is never used in msgpack. */
const GARBAGE: tf.DynamicValue = { msgpack: Buffer.from([0xc1]) };
const full = widget({ id: "w-1", name: "alpha", size: 3, revision: "r1", secret: "from-wire-secret-1" });

function summaries(diags: Diagnostics): string[] {
  return diags.items.map((d) => `${d.severity} ${d.summary}: ${d.detail.replace(/: .*$/, "")}`);
}

describe("validateProviderConfigRequestFromWire and configureProviderRequestFromWire", () => {
  const convert = [fromWire.validateProviderConfigRequestFromWire, fromWire.configureProviderRequestFromWire];
  it("decode the configuration by the provider's schema", () => {
    for (const f of convert) {
      const diags = new Diagnostics();
      const req = f({ config: encodeDynamicValue(objectValue({ endpoint: known("http://x") }), blockType(providerSchema)) }, providerSchema, diags);
      expect(asString(getAttribute(req.config, "endpoint"))).toBe("http://x");
      expect(diags.items).toEqual([]);
    }
  });

  it("read a missing configuration as null, and report one that does not decode", () => {
    for (const f of convert) {
      for (const config of MISSING) {
        const diags = new Diagnostics();
        expect(f({ config }, providerSchema, diags).config).toEqual(NULL);
        expect(diags.items).toEqual([]);
      }
      const diags = new Diagnostics();
      expect(f({}, providerSchema, diags).config).toEqual(NULL);
      expect(f({ config: GARBAGE }, providerSchema, diags).config).toEqual(NULL);
      expect(summaries(diags)).toEqual(["error Invalid value from Terraform: The provider configuration could not be decoded"]);
    }
  });
});

describe("validateResourceConfigRequestFromWire", () => {
  it("decodes the configuration, unknowns included", () => {
    const diags = new Diagnostics();
    const req = fromWire.validateResourceConfigRequestFromWire({ type_name: WIDGET, config: dv(widget({ name: UNKNOWN })) }, widgetSchema, diags);
    expect(getAttribute(req.config, "name").kind).toBe("unknown");
    expect(diags.items).toEqual([]);
  });

  it("reads a missing configuration as null, and reports one that does not decode", () => {
    for (const config of MISSING) expect(fromWire.validateResourceConfigRequestFromWire({ config }, widgetSchema, new Diagnostics()).config).toEqual(NULL);
    const diags = new Diagnostics();
    fromWire.validateResourceConfigRequestFromWire({ config: GARBAGE }, widgetSchema, diags);
    expect(summaries(diags)).toEqual(["error Invalid value from Terraform: The configuration could not be decoded"]);
  });
});

describe("upgradeResourceStateRequestFromWire", () => {
  const json = (text: string): tf.RawState => ({ json: Buffer.from(text) });

  it("reads the stored JSON by the current schema, dropping attributes it no longer has", () => {
    const diags = new Diagnostics();
    const req = fromWire.upgradeResourceStateRequestFromWire(
      { type_name: WIDGET, version: "1", raw_state: json('{"id":"w-1","name":"alpha","old_attr":true}') },
      widgetSchema,
      diags,
    );
    expect(req.version).toBe(1);
    expect(asString(getAttribute(req.state, "name"))).toBe("alpha");
    expect(diags.items).toEqual([]);
  });

  it("reads a missing version as 0 and missing state as null, without an error", () => {
    for (const raw_state of [undefined, null, {}, { json: new Uint8Array(0) }, { json: null, flatmap: {} }, { flatmap: null }]) {
      const diags = new Diagnostics();
      expect(fromWire.upgradeResourceStateRequestFromWire({ raw_state }, widgetSchema, diags)).toEqual({ version: 0, state: NULL });
      expect(diags.items).toEqual([]);
    }
  });

  it("leaves state of a newer schema version unread, for the operation to refuse", () => {
    const diags = new Diagnostics();
    const req = fromWire.upgradeResourceStateRequestFromWire({ type_name: WIDGET, version: 2, raw_state: json("{not json") }, widgetSchema, diags);
    expect(req).toEqual({ version: 2, state: NULL });
    expect(diags.items).toEqual([]);
  });

  it("reports JSON that does not read, and the flatmap format of Terraform 0.11", () => {
    const diags = new Diagnostics();
    expect(fromWire.upgradeResourceStateRequestFromWire({ type_name: WIDGET, version: 1, raw_state: json("{not json") }, widgetSchema, diags).state).toEqual(
      NULL,
    );
    fromWire.upgradeResourceStateRequestFromWire({ type_name: WIDGET, version: 1, raw_state: { flatmap: { id: "w-1" } } }, widgetSchema, diags);
    expect(summaries(diags)).toEqual([
      `error Unreadable stored state: The stored state of this ${WIDGET} could not be read`,
      "error Unsupported state format: This state was written by Terraform 0.11 or earlier, which this provider cannot read.",
    ]);
  });
});

describe("readResourceRequestFromWire", () => {
  it("decodes the current state and reads the private state, keeping its bytes", () => {
    const diags = new Diagnostics();
    const bytes = Buffer.from('{"created":true,"notes":{"a":1}}');
    const req = fromWire.readResourceRequestFromWire({ type_name: WIDGET, current_state: dv(full), private: bytes }, widgetSchema, diags);
    expect(valuesEqual(req.currentState, full)).toBe(true);
    expect(req.private).toEqual({ origin: "create", notes: { a: 1 }, bytes });
    expect(diags.items).toEqual([]);
  });

  it("reads missing state as null and missing private state as none", () => {
    for (const current_state of MISSING) {
      for (const priv of [undefined, null, new Uint8Array(0)]) {
        const diags = new Diagnostics();
        const req = fromWire.readResourceRequestFromWire({ current_state, private: priv }, widgetSchema, diags);
        expect(req.currentState).toEqual(NULL);
        expect(req.private.origin).toBeUndefined();
        expect(req.private.notes).toEqual({});
        expect(req.private.bytes.length).toBe(0);
        expect(diags.items).toEqual([]);
      }
    }
  });

  it("keeps private data it cannot read as bytes, and reports state that does not decode", () => {
    const diags = new Diagnostics();
    const req = fromWire.readResourceRequestFromWire({ current_state: GARBAGE, private: Buffer.from("not json") }, widgetSchema, diags);
    expect(req.private).toEqual({ origin: undefined, notes: {}, bytes: Buffer.from("not json") });
    expect(summaries(diags)).toEqual(["error Invalid value from Terraform: The current state could not be decoded"]);
  });
});

describe("planResourceChangeRequestFromWire", () => {
  it("decodes prior, proposed and configuration, and reads the prior private state", () => {
    const diags = new Diagnostics();
    const config = widget({ name: "beta" });
    const req = fromWire.planResourceChangeRequestFromWire(
      { type_name: WIDGET, prior_state: dv(full), proposed_new_state: dv(config), config: dv(config), prior_private: Buffer.from('{"import":true}') },
      widgetSchema,
      diags,
    );
    expect(valuesEqual(req.priorState, full)).toBe(true);
    expect(asString(getAttribute(req.proposedNewState, "name"))).toBe("beta");
    expect(asString(getAttribute(req.config, "name"))).toBe("beta");
    expect(req.priorPrivate.origin).toBe("import");
    expect(diags.items).toEqual([]);
  });

  it("reads every missing field as null or none", () => {
    const diags = new Diagnostics();
    const req = fromWire.planResourceChangeRequestFromWire({}, widgetSchema, diags);
    expect([req.priorState, req.proposedNewState, req.config]).toEqual([NULL, NULL, NULL]);
    expect(req.priorPrivate).toMatchObject({ origin: undefined, notes: {} });
    expect(req.priorPrivate.bytes.length).toBe(0);
    expect(diags.items).toEqual([]);
  });

  it("reports each value that does not decode", () => {
    const diags = new Diagnostics();
    fromWire.planResourceChangeRequestFromWire({ prior_state: GARBAGE, proposed_new_state: GARBAGE, config: GARBAGE }, widgetSchema, diags);
    expect(summaries(diags)).toEqual([
      "error Invalid value from Terraform: The prior state could not be decoded",
      "error Invalid value from Terraform: The proposed state could not be decoded",
      "error Invalid value from Terraform: The configuration could not be decoded",
    ]);
  });
});

describe("applyResourceChangeRequestFromWire", () => {
  it("decodes prior, planned and configuration, and reads the planned private state", () => {
    const diags = new Diagnostics();
    const planned = widget({ name: "alpha", id: UNKNOWN });
    const req = fromWire.applyResourceChangeRequestFromWire(
      { type_name: WIDGET, prior_state: dv(NULL), planned_state: dv(planned), config: dv(widget({ name: "alpha" })), planned_private: Buffer.from("pp") },
      widgetSchema,
      diags,
    );
    expect(isNull(req.priorState)).toBe(true);
    expect(getAttribute(req.plannedState, "id").kind).toBe("unknown");
    expect(Buffer.from(req.plannedPrivate.bytes).toString()).toBe("pp");
    expect(diags.items).toEqual([]);
  });

  it("reads every missing field as null or none, and reports each value that does not decode", () => {
    const empty = new Diagnostics();
    const req = fromWire.applyResourceChangeRequestFromWire({ planned_private: new Uint8Array(0) }, widgetSchema, empty);
    expect([req.priorState, req.plannedState, req.config]).toEqual([NULL, NULL, NULL]);
    expect(req.plannedPrivate.bytes.length).toBe(0);
    expect(empty.items).toEqual([]);
    const diags = new Diagnostics();
    fromWire.applyResourceChangeRequestFromWire({ prior_state: GARBAGE, planned_state: GARBAGE, config: GARBAGE }, widgetSchema, diags);
    expect(summaries(diags)).toEqual([
      "error Invalid value from Terraform: The prior state could not be decoded",
      "error Invalid value from Terraform: The planned state could not be decoded",
      "error Invalid value from Terraform: The configuration could not be decoded",
    ]);
  });
});

describe("importResourceStateRequestFromWire", () => {
  it("takes the id, and an empty one when it is missing", () => {
    expect(fromWire.importResourceStateRequestFromWire({ type_name: WIDGET, id: "w-7" })).toEqual({ id: "w-7" });
    expect(fromWire.importResourceStateRequestFromWire({ id: null })).toEqual({ id: "" });
    expect(fromWire.importResourceStateRequestFromWire({})).toEqual({ id: "" });
  });
});

describe("moveResourceStateRequestFromWire", () => {
  const request: tf.MoveResourceState_Request = {
    source_provider_address: "registry.example.com/acme/widgets",
    source_type_name: WIDGET,
    source_schema_version: "2",
    source_state: { json: Buffer.from('{"id":"w-1","name":"alpha","legacy":true}') },
    target_type_name: WIDGET,
    source_private: Buffer.from('{"schema_version":"2"}'),
  };

  it("passes the source through and decodes its state, by the target schema, when asked", () => {
    const req = fromWire.moveResourceStateRequestFromWire(request, widgetSchema);
    expect(req).toMatchObject({ sourceProviderAddress: "registry.example.com/acme/widgets", sourceTypeName: WIDGET, sourceSchemaVersion: 2 });
    expect(Buffer.from(req.sourceRawState).toString()).toContain('"legacy":true');
    expect(Buffer.from(req.sourcePrivate).toString()).toBe('{"schema_version":"2"}');
    const diags = new Diagnostics();
    const state = req.decodeSourceState(diags);
    expect(asString(getAttribute(state, "name"))).toBe("alpha");
    expect(diags.items).toEqual([]);
  });

  it("reads every missing field as empty, and has no state to decode then", () => {
    for (const source_state of [undefined, null, {}, { json: null }, { json: new Uint8Array(0) }]) {
      const req = fromWire.moveResourceStateRequestFromWire({ source_state, source_private: null }, widgetSchema);
      expect(req).toMatchObject({ sourceProviderAddress: "", sourceTypeName: "", sourceSchemaVersion: 0 });
      expect([req.sourceRawState.length, req.sourcePrivate.length]).toEqual([0, 0]);
      const diags = new Diagnostics();
      expect(req.decodeSourceState(diags)).toBeUndefined();
      expect(summaries(diags)).toEqual([
        "error No state to move: Terraform sent no JSON state for (no type) of provider (no address); state written by Terraform 0.11 or earlier cannot be moved.",
      ]);
    }
  });

  it("reports a null source state and one that does not read, naming the source", () => {
    const diags = new Diagnostics();
    const source = `${WIDGET} of provider registry.example.com/acme/widgets`;
    expect(fromWire.moveResourceStateRequestFromWire({ ...request, source_state: { json: Buffer.from("null") } }, widgetSchema).decodeSourceState(diags)).toBe(
      undefined,
    );
    expect(
      fromWire.moveResourceStateRequestFromWire({ ...request, source_state: { json: Buffer.from("{not json") } }, widgetSchema).decodeSourceState(diags),
    ).toBe(undefined);
    expect(summaries(diags)).toEqual([
      `error No state to move: The stored state of ${source} is null.`,
      `error Unreadable source state: The state of ${source} could not be read as ${WIDGET}`,
    ]);
  });
});

describe("validateDataResourceConfigRequestFromWire and readDataSourceRequestFromWire", () => {
  const convert = [fromWire.validateDataResourceConfigRequestFromWire, fromWire.readDataSourceRequestFromWire];
  it("decode the configuration by the data source's schema", () => {
    for (const f of convert) {
      const diags = new Diagnostics();
      expect(asString(getAttribute(f({ type_name: "test_gadgets", config: dv(widget({ name: "n" })) }, widgetSchema, diags).config, "name"))).toBe("n");
      expect(diags.items).toEqual([]);
    }
  });

  it("read a missing configuration as null, and report one that does not decode", () => {
    for (const f of convert) {
      for (const config of MISSING) expect(f({ config }, widgetSchema, new Diagnostics()).config).toEqual(NULL);
      const diags = new Diagnostics();
      f({ config: GARBAGE }, widgetSchema, diags);
      expect(summaries(diags)).toEqual(["error Invalid value from Terraform: The configuration could not be decoded"]);
    }
  });
});
