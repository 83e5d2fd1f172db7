// Data sources in FrameworkServer: listed in GetMetadata and GetProviderSchema (a list(object)
// attribute included), validated like resources (paths, read-only attributes, unknowns skipped),
// and read with a wholly known configuration into a wholly known object.
import { decode, encode, ExtData } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import type { DataSource } from "../../src/framework/data-source.ts";
import { FrameworkServer } from "../../src/framework/framework-server.ts";
import { blockType, type Schema } from "../../src/framework/schema.ts";
import { stringLengthBetween } from "../../src/framework/validators.ts";
import { ctyList, ctyNumber, ctyString } from "../../src/values/cty-type.ts";
import { decodeDynamicValue, encodeDynamicValue } from "../../src/protocol/dynamic-value.ts";
import type { Value } from "../../src/values/value.ts";
import { NULL, UNKNOWN, asList, asString, getAttribute, known, listValue, objectValue } from "../../src/values/value.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { widgetProvider, widgetResource, type WidgetClient } from "../support/widget-resource.ts";

const GADGETS = "test_gadgets";
const partType = ["object", { name: ctyString, weight: ctyNumber }] as const;

const gadgetsSchema: Schema = {
  version: 0,
  block: {
    attributes: {
      id: { type: ctyString, computed: true, description: "computed" },
      owner: { type: ctyString, required: true, description: "required", validators: [stringLengthBetween(1, 8)] },
      kind: { type: ctyString, optional: true, description: "optional" },
      label: { type: ctyString, optional: true, computed: true, description: "optional and computed" },
      token: { type: ctyString, computed: true, sensitive: true, description: "sensitive" },
      parts: { type: ctyList(partType), computed: true, description: "a list of objects" },
    },
  },
};
const type = blockType(gadgetsSchema.block);
const silent = createLogger({ level: "off", module: "test" });

interface Calls {
  reads: { config: Value; client: WidgetClient; signal: AbortSignal }[];
}

function gadgets(
  read?: DataSource<WidgetClient>["read"],
  validateConfig?: DataSource<WidgetClient>["validateConfig"],
): DataSource<WidgetClient> & { calls: Calls } {
  const calls: Calls = { reads: [] };
  const source: DataSource<WidgetClient> & { calls: Calls } = {
    typeName: GADGETS,
    schema: gadgetsSchema,
    calls,
    async read(req, resp) {
      calls.reads.push({ config: req.config, client: req.client, signal: req.signal });
      if (read) return read(req, resp);
      resp.state = objectValue({
        id: known(`gadgets-of-${asString(getAttribute(req.config, "owner"))}`),
        label: known("read label"),
        parts: listValue([objectValue({ name: known("bolt"), weight: known(2) }), objectValue({ name: known("nut"), weight: known(1.5) })]),
      });
    },
  };
  if (validateConfig) source.validateConfig = validateConfig;
  return source;
}

function server(source = gadgets()) {
  return { source, server: new FrameworkServer({ ...widgetProvider(widgetResource()), dataSources: [source] }, { logger: silent, env: {} }) };
}

async function configured(source = gadgets()) {
  const s = server(source);
  expect((await s.server.configureProvider({ config: { msgpack: Buffer.from(encode({ endpoint: null })) } })).diagnostics).toEqual([]);
  return s;
}

/** A gadgets configuration as Terraform sends it: one entry per attribute. */
function config(fields: Record<string, Value | string | null>): ReturnType<typeof encodeDynamicValue> {
  const all: Record<string, Value> = {};
  for (const name of Object.keys(gadgetsSchema.block.attributes)) {
    const f = fields[name];
    all[name] = f === undefined || f === null ? NULL : typeof f === "string" ? known(f) : f;
  }
  return encodeDynamicValue(objectValue(all), type);
}

describe("listing", () => {
  it("GetMetadata names the data sources beside the resources", async () => {
    const m = await server().server.getMetadata();
    expect(m.data_sources).toEqual([{ type_name: GADGETS }]);
    expect(m.resources).toEqual([{ type_name: "test_widget" }]);
  });

  it("GetProviderSchema has its schema in data_source_schemas, list(object) written as go-cty type JSON", async () => {
    const schema = await server().server.getProviderSchema();
    expect(Object.keys(schema.data_source_schemas!)).toEqual([GADGETS]);
    expect(Object.keys(schema.resource_schemas!)).toEqual(["test_widget"]);
    const attrs = schema.data_source_schemas![GADGETS]!.block!.attributes!;
    const attr = (n: string) => attrs.find((a) => a.name === n)!;
    expect(JSON.parse(Buffer.from(attr("parts").type!).toString())).toEqual(["list", ["object", { name: "string", weight: "number" }]]);
    expect(attr("parts")).toMatchObject({ computed: true, optional: false, required: false });
    expect(attr("owner")).toMatchObject({ required: true });
    expect(attr("label")).toMatchObject({ optional: true, computed: true });
    expect(attr("token")).toMatchObject({ sensitive: true });
  });

  it("a provider without data sources lists none", async () => {
    const s = new FrameworkServer(widgetProvider(widgetResource()), { logger: silent, env: {} });
    expect((await s.getMetadata()).data_sources).toEqual([]);
    expect((await s.getProviderSchema()).data_source_schemas).toEqual({});
  });
});

describe("ValidateDataResourceConfig", () => {
  it("accepts a valid configuration, and skips validators on unknown values", async () => {
    const { server: s } = server();
    expect((await s.validateDataResourceConfig({ type_name: GADGETS, config: config({ owner: "ann" }) })).diagnostics).toEqual([]);
    expect((await s.validateDataResourceConfig({ type_name: GADGETS, config: config({ owner: UNKNOWN }) })).diagnostics).toEqual([]);
  });

  it("reports a validator's error at the attribute, and refuses configured computed-only attributes", async () => {
    const { server: s } = server();
    const r = await s.validateDataResourceConfig({ type_name: GADGETS, config: config({ owner: "far-too-long", id: "x", parts: UNKNOWN }) });
    expect(r.diagnostics!.map((d) => [d.severity, d.summary, d.attribute?.steps])).toEqual([
      ["ERROR", "Invalid configuration for read-only attribute", [{ attribute_name: "id" }]],
      ["ERROR", "Invalid configuration for read-only attribute", [{ attribute_name: "parts" }]],
      ["ERROR", "Invalid attribute value", [{ attribute_name: "owner" }]],
    ]);
  });

  it("runs the data source's own checks", async () => {
    const { server: s } = server(
      gadgets(undefined, ({ config: c }, resp) => {
        if (asString(getAttribute(c, "kind")) === "bad") resp.diagnostics.warning("Odd kind", "a warning for kind", ["kind"]);
      }),
    );
    const r = await s.validateDataResourceConfig({ type_name: GADGETS, config: config({ owner: "ann", kind: "bad" }) });
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: "WARNING", summary: "Odd kind", attribute: { steps: [{ attribute_name: "kind" }] } })]);
  });

  it("names an unknown data source, and a configuration that does not decode", async () => {
    const { server: s } = server();
    const unknownType = await s.validateDataResourceConfig({ type_name: "test_nothing", config: config({ owner: "ann" }) });
    expect(unknownType.diagnostics).toEqual([
      expect.objectContaining({ severity: "ERROR", summary: "Unknown data source", detail: 'This provider has no data source "test_nothing".' }),
    ]);
    const bad = await s.validateDataResourceConfig({ type_name: GADGETS, config: { msgpack: Buffer.from(encode({ owner: "ann" })) } });
    expect(bad.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", summary: "Invalid value from Terraform" })]);
  });
});

describe("ReadDataSource", () => {
  it("hands the configuration and the configured client to read, and returns its object with the configured arguments", async () => {
    const { server: s, source } = await configured();
    const r = await s.readDataSource({ type_name: GADGETS, config: config({ owner: "ann", kind: "round" }) });
    expect(r.diagnostics).toEqual([]);
    expect(source.calls.reads).toHaveLength(1);
    expect(source.calls.reads[0]!.client).toEqual({ name: "fake client" });
    expect(asString(getAttribute(source.calls.reads[0]!.config, "kind"))).toBe("round");
    // One entry per attribute, as go-cty needs; what read left out keeps its configured value (or null).
    expect(decode(r.state!.msgpack!)).toEqual({
      id: "gadgets-of-ann",
      owner: "ann",
      kind: "round",
      label: "read label",
      token: null,
      parts: [
        { name: "bolt", weight: 2 },
        { name: "nut", weight: 1.5 },
      ],
    });
    // And it decodes back by the schema's type.
    const back = decodeDynamicValue(r.state!, type);
    expect(asString(getAttribute(asList(getAttribute(back, "parts"))?.[1], "name"))).toBe("nut");
  });

  it("keeps a configured optional+computed value the read does not set", async () => {
    const { server: s } = await configured(
      gadgets(async (_req, resp) => {
        resp.state = objectValue({ id: known("g") });
      }),
    );
    const r = await s.readDataSource({ type_name: GADGETS, config: config({ owner: "ann", label: "mine" }) });
    expect(decode(r.state!.msgpack!)).toMatchObject({ id: "g", label: "mine", parts: null });
  });

  it("turns unknowns the read leaves into null: the state Terraform stores must be wholly known", async () => {
    const { server: s } = await configured(
      gadgets(async (_req, resp) => {
        resp.state = objectValue({ id: UNKNOWN, parts: listValue([objectValue({ name: known("x"), weight: UNKNOWN })]) });
      }),
    );
    const r = await s.readDataSource({ type_name: GADGETS, config: config({ owner: "ann" }) });
    const state = decode(r.state!.msgpack!) as Record<string, unknown>;
    expect(state.id).toBeNull();
    expect(state.parts).toEqual([{ name: "x", weight: null }]);
  });

  it("refuses a configuration with unknowns, at each unknown attribute, without reading", async () => {
    const { server: s, source } = await configured();
    const unknownExt = {
      msgpack: Buffer.from(
        encode({ id: null, owner: new ExtData(0, new Uint8Array([0])), kind: new ExtData(0, new Uint8Array([0])), label: null, token: null, parts: null }),
      ),
    };
    const r = await s.readDataSource({ type_name: GADGETS, config: unknownExt });
    expect(r.state ?? null).toBeNull();
    expect(r.diagnostics!.map((d) => [d.summary, d.attribute?.steps])).toEqual([
      ["Configuration not yet known", [{ attribute_name: "owner" }]],
      ["Configuration not yet known", [{ attribute_name: "kind" }]],
    ]);
    expect(source.calls.reads).toHaveLength(0);
    const wholly = await s.readDataSource({ type_name: GADGETS, config: { msgpack: Buffer.from([0xd4, 0, 0]) } });
    expect(wholly.diagnostics!.map((d) => d.summary)).toEqual(["Configuration not yet known"]);
    expect(wholly.diagnostics![0]!.detail).toMatch(/^The configuration is not known yet/);
  });

  it("validates again before reading: a client may read without validating", async () => {
    const { server: s, source } = await configured();
    const r = await s.readDataSource({ type_name: GADGETS, config: config({ owner: "far-too-long" }) });
    expect(r.diagnostics!.map((d) => [d.summary, d.attribute?.steps])).toEqual([["Invalid attribute value", [{ attribute_name: "owner" }]]]);
    expect(source.calls.reads).toHaveLength(0);
  });

  it("returns the read's error diagnostics, with their paths, and no state", async () => {
    const { server: s } = await configured(
      gadgets(async ({ config: c }, resp) => {
        resp.diagnostics.error("Owner not found", "no such owner", ["owner"]);
        resp.state = c;
      }),
    );
    const r = await s.readDataSource({ type_name: GADGETS, config: config({ owner: "ann" }) });
    expect(r.state ?? null).toBeNull();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: "ERROR", summary: "Owner not found", attribute: { steps: [{ attribute_name: "owner" }] } }),
    ]);
  });

  it("passes warnings along with the state", async () => {
    const { server: s } = await configured(
      gadgets(async (_req, resp) => {
        resp.diagnostics.warning("Partial", "something to know");
        resp.state = objectValue({ id: known("g") });
      }),
    );
    const r = await s.readDataSource({ type_name: GADGETS, config: config({ owner: "ann" }) });
    expect(r.diagnostics!.map((d) => d.severity)).toEqual(["WARNING"]);
    expect(decode(r.state!.msgpack!)).toMatchObject({ id: "g" });
  });

  it("reports a read that returns no object and no error as a provider bug", async () => {
    const { server: s } = await configured(
      gadgets(async (_req, resp) => {
        resp.state = NULL;
      }),
    );
    const r = await s.readDataSource({ type_name: GADGETS, config: config({ owner: "ann" }) });
    expect(r.state ?? null).toBeNull();
    expect(r.diagnostics!.map((d) => d.summary)).toEqual(["Data source returned no object"]);
  });

  it("needs a configured provider, a known type and a configuration", async () => {
    const { server: unconfigured, source } = server();
    expect((await unconfigured.readDataSource({ type_name: GADGETS, config: config({ owner: "ann" }) })).diagnostics!.map((d) => d.summary)).toEqual([
      "Provider not configured",
    ]);
    expect(source.calls.reads).toHaveLength(0);
    const { server: s } = await configured();
    expect((await s.readDataSource({ type_name: "test_widget", config: config({ owner: "ann" }) })).diagnostics!.map((d) => d.detail)).toEqual([
      'This provider has no data source "test_widget".',
    ]);
    expect((await s.readDataSource({ type_name: GADGETS, config: null })).diagnostics!.map((d) => d.summary)).toEqual(["No configuration"]);
  });
});
