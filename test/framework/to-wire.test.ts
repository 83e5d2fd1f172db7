// Framework responses into wire responses (to-wire.ts), one block per message: values encoded
// by the schema's type, diagnostics with their paths, and what a response leaves unset left out.
import { decode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../src/framework/diagnostics.ts";
import { blockType } from "../../src/framework/schema.ts";
import * as toWire from "../../src/framework/to-wire.ts";
import type * as tf from "../../src/generated/protocol-types.ts";
import { NULL } from "../../src/values/value.ts";
import { WIDGET, widget, widgetProvider, widgetResource, widgetSchema } from "../support/widget-resource.ts";

const type = blockType(widgetSchema.block);
const full = widget({ id: "w-1", name: "alpha", size: 3, revision: "r1", secret: "to-wire-secret-1" });
const decoded = (v: tf.DynamicValue | null | undefined) => decode(v!.msgpack!) as Record<string, unknown> | null;

function withWarning(): Diagnostics {
  return new Diagnostics().warning("Heads up", "about the name", ["name"]);
}

const warningOnWire = [{ severity: "WARNING", summary: "Heads up", detail: "about the name", attribute: { steps: [{ attribute_name: "name" }] } }];

describe("diagnosticsResponseToWire", () => {
  it("carries the diagnostics with their paths, and none as an empty list", () => {
    expect(toWire.diagnosticsResponseToWire({ diagnostics: withWarning() })).toEqual({ diagnostics: warningOnWire });
    expect(toWire.diagnosticsResponseToWire({ diagnostics: new Diagnostics().error("Bad") })).toEqual({
      diagnostics: [{ severity: "ERROR", summary: "Bad", detail: "" }],
    });
    expect(toWire.diagnosticsResponseToWire({ diagnostics: new Diagnostics() })).toEqual({ diagnostics: [] });
  });
});

describe("unsupportedResponseToWire", () => {
  it("is one error saying what is not supported", () => {
    expect(toWire.unsupportedResponseToWire("no such thing")).toEqual({
      diagnostics: [{ severity: "ERROR", summary: "Not supported", detail: "no such thing" }],
    });
  });
});

describe("getMetadataResponseToWire and getProviderSchemaResponseToWire", () => {
  const resource = widgetResource();
  const gadgets = { typeName: "test_gadgets", schema: { version: 0, block: { attributes: {} } } };

  it("name the resources and data sources, with the server's capabilities", () => {
    const m = toWire.getMetadataResponseToWire([resource], [gadgets]);
    expect(m.resources).toEqual([{ type_name: WIDGET }]);
    expect(m.data_sources).toEqual([{ type_name: "test_gadgets" }]);
    expect(m.server_capabilities).toEqual({ plan_destroy: true, get_provider_schema_optional: true, move_resource_state: true });
    const s = toWire.getProviderSchemaResponseToWire(widgetProvider(resource).schema, [resource], [gadgets]);
    expect(Object.keys(s.resource_schemas!)).toEqual([WIDGET]);
    expect(s.resource_schemas![WIDGET]!.version).toBe(1);
    expect(Object.keys(s.data_source_schemas!)).toEqual(["test_gadgets"]);
    expect(s.provider!.block!.attributes!.map((a) => a.name)).toEqual(["endpoint"]);
    expect(s.server_capabilities).toEqual(m.server_capabilities);
  });

  it("answer empty lists and maps for a provider with nothing", () => {
    expect(toWire.getMetadataResponseToWire([], [])).toMatchObject({
      resources: [],
      data_sources: [],
      functions: [],
      ephemeral_resources: [],
      diagnostics: [],
    });
    expect(toWire.getProviderSchemaResponseToWire({ attributes: {} }, [], [])).toMatchObject({
      resource_schemas: {},
      data_source_schemas: {},
      functions: {},
      ephemeral_resource_schemas: {},
      diagnostics: [],
    });
  });
});

describe("upgradeResourceStateResponseToWire", () => {
  it("encodes the upgraded state, a null one included", () => {
    const r = toWire.upgradeResourceStateResponseToWire({ upgradedState: full, diagnostics: withWarning() }, type);
    expect(decoded(r.upgraded_state)).toMatchObject({ id: "w-1", name: "alpha", rule: [] });
    expect(r.diagnostics).toEqual(warningOnWire);
    expect(decoded(toWire.upgradeResourceStateResponseToWire({ upgradedState: NULL, diagnostics: new Diagnostics() }, type).upgraded_state)).toBeNull();
  });

  it("leaves the state out when there is none", () => {
    const r = toWire.upgradeResourceStateResponseToWire({ diagnostics: new Diagnostics().error("Newer") }, type);
    expect(r.upgraded_state).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
  });
});

describe("readResourceResponseToWire", () => {
  it("encodes the new state and passes the private bytes through", () => {
    const r = toWire.readResourceResponseToWire({ newState: full, private: Buffer.from("p"), diagnostics: new Diagnostics() }, type);
    expect(decoded(r.new_state)).toMatchObject({ id: "w-1" });
    expect(Buffer.from(r.private!).toString()).toBe("p");
    expect(r.diagnostics).toEqual([]);
  });

  it("leaves out what is unset", () => {
    const r = toWire.readResourceResponseToWire({ diagnostics: withWarning() }, type);
    expect([r.new_state, r.private]).toEqual([undefined, undefined]);
    expect(r.diagnostics).toEqual(warningOnWire);
  });
});

describe("planResourceChangeResponseToWire", () => {
  it("encodes the plan, writes requires_replace as attribute paths, and passes the private bytes through", () => {
    const r = toWire.planResourceChangeResponseToWire(
      {
        plannedState: full,
        requiresReplace: [["name"], ["rule", 0, "port"], ["tags", { key: "env" }]],
        plannedPrivate: Buffer.from("keep"),
        diagnostics: new Diagnostics(),
      },
      type,
    );
    expect(decoded(r.planned_state)).toMatchObject({ name: "alpha" });
    expect(r.requires_replace).toEqual([
      { steps: [{ attribute_name: "name" }] },
      { steps: [{ attribute_name: "rule" }, { element_key_int: 0 }, { attribute_name: "port" }] },
      { steps: [{ attribute_name: "tags" }, { element_key_string: "env" }] },
    ]);
    expect(Buffer.from(r.planned_private!).toString()).toBe("keep");
  });

  it("encodes a destroy plan as null, and leaves out what is unset", () => {
    expect(
      decoded(toWire.planResourceChangeResponseToWire({ plannedState: NULL, requiresReplace: [], diagnostics: new Diagnostics() }, type).planned_state),
    ).toBeNull();
    const r = toWire.planResourceChangeResponseToWire({ diagnostics: withWarning() }, type);
    expect([r.planned_state, r.requires_replace, r.planned_private]).toEqual([undefined, undefined, undefined]);
    expect(r.diagnostics).toEqual(warningOnWire);
  });
});

describe("applyResourceChangeResponseToWire", () => {
  it("encodes the new state, a deleted (null) one included, with the private bytes", () => {
    const r = toWire.applyResourceChangeResponseToWire({ newState: full, private: Buffer.from('{"created":true}'), diagnostics: new Diagnostics() }, type);
    expect(decoded(r.new_state)).toMatchObject({ id: "w-1", secret: "to-wire-secret-1" });
    expect(Buffer.from(r.private!).toString()).toBe('{"created":true}');
    expect(decoded(toWire.applyResourceChangeResponseToWire({ newState: NULL, diagnostics: new Diagnostics() }, type).new_state)).toBeNull();
  });

  it("leaves out what is unset", () => {
    const r = toWire.applyResourceChangeResponseToWire({ diagnostics: withWarning() }, type);
    expect([r.new_state, r.private]).toEqual([undefined, undefined]);
    expect(r.diagnostics).toEqual(warningOnWire);
  });
});

describe("importResourceStateResponseToWire", () => {
  it("encodes each imported object with its type name and private bytes", () => {
    const r = toWire.importResourceStateResponseToWire(
      { importedResources: [{ typeName: WIDGET, state: widget({ id: "w-7" }), private: Buffer.from('{"import":true}') }], diagnostics: new Diagnostics() },
      type,
    );
    expect(r.imported_resources).toHaveLength(1);
    expect(r.imported_resources![0]!.type_name).toBe(WIDGET);
    expect(decoded(r.imported_resources![0]!.state)).toMatchObject({ id: "w-7", name: null });
    expect(Buffer.from(r.imported_resources![0]!.private!).toString()).toBe('{"import":true}');
  });

  it("leaves the list out when nothing was imported", () => {
    const r = toWire.importResourceStateResponseToWire({ diagnostics: new Diagnostics().error("Invalid import id") }, type);
    expect(r.imported_resources).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
  });
});

describe("moveResourceStateResponseToWire", () => {
  it("encodes the target state, with no private data unless some is given", () => {
    const plain = toWire.moveResourceStateResponseToWire({ targetState: full, diagnostics: new Diagnostics() }, type);
    expect(decoded(plain.target_state)).toMatchObject({ id: "w-1" });
    expect(Buffer.from(plain.target_private!).length).toBe(0);
    const mine = toWire.moveResourceStateResponseToWire({ targetState: full, targetPrivate: Buffer.from("mine"), diagnostics: new Diagnostics() }, type);
    expect(Buffer.from(mine.target_private!).toString()).toBe("mine");
  });

  it("answers diagnostics only when there is no target state", () => {
    const r = toWire.moveResourceStateResponseToWire({ targetPrivate: Buffer.from("ignored"), diagnostics: new Diagnostics().error("Refused") }, type);
    expect(r).toEqual({ diagnostics: [{ severity: "ERROR", summary: "Refused", detail: "" }] });
  });
});

describe("readDataSourceResponseToWire", () => {
  it("encodes the state, and leaves it out when there is none", () => {
    const r = toWire.readDataSourceResponseToWire({ state: full, diagnostics: withWarning() }, type);
    expect(decoded(r.state)).toMatchObject({ id: "w-1" });
    expect(r.diagnostics).toEqual(warningOnWire);
    expect(toWire.readDataSourceResponseToWire({ diagnostics: new Diagnostics().error("Owner not found") }, type).state).toBeUndefined();
  });
});
