// FrameworkServer (wire messages in, resource calls, wire messages out) with a fake widget
// resource, and registerProviderService turning a throwing resource into a diagnostic.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { decode, encode, ExtData } from "@msgpack/msgpack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FrameworkServer } from "../../src/framework/framework-server.ts";
import { blockType } from "../../src/framework/schema.ts";
import { encodeDynamicValue } from "../../src/protocol/dynamic-value.ts";
import { registerProviderService } from "../../src/protocol/provider-service.ts";
import { GrpcServer } from "../../src/transport/grpc-server.ts";
import type { Value } from "../../src/values/value.ts";
import { NULL, UNKNOWN } from "../../src/values/value.ts";
import { createLogger } from "../../src/logging/logger.ts";
import type * as tf from "../../src/generated/protocol-types.ts";
import { makeClient, unary, type ServiceClient } from "../support/plugin-process.ts";
import type { MoveStateRequest, MoveStateResponse, UpgradeStateRequest, UpgradeStateResponse } from "../../src/framework/resource-requests.ts";
import { asString, getAttribute } from "../../src/values/value.ts";
import { ctyString } from "../../src/values/cty-type.ts";
import { plain, WIDGET, widget, widgetProvider, widgetResource, widgetSchema } from "../support/widget-resource.ts";

const type = blockType(widgetSchema.block);
const dv = (v: Value) => encodeDynamicValue(v, type);
const silent = createLogger({ level: "off", module: "test" });

function server(resource = widgetResource()) {
  return { resource, server: new FrameworkServer(widgetProvider(resource), { logger: silent, env: {} }) };
}

async function configured(resource = widgetResource()) {
  const s = server(resource);
  const r = await s.server.configureProvider({ config: { msgpack: Buffer.from(encode({ endpoint: null })) } });
  expect(r.diagnostics).toEqual([]);
  return s;
}

const decodedName = (state: Value) => asString(getAttribute(state, "name"));
const decoded = (v: tf.DynamicValue | null | undefined) => decode(v!.msgpack!) as Record<string, unknown> | null;
const full = widget({ id: "w-1", name: "alpha", size: 3, color: "red", revision: "r1", secret: "s3cr3t-value-1" });

describe("schema on the wire", () => {
  it("turns framework definitions into tfplugin6 attributes and blocks", async () => {
    const { server: s } = server();
    const schema = await s.getProviderSchema();
    const block = schema.resource_schemas![WIDGET]!.block!;
    expect(schema.resource_schemas![WIDGET]!.version).toBe(1);
    const attr = (n: string) => block.attributes!.find((a) => a.name === n)!;
    expect(Buffer.from(attr("tags").type!).toString()).toBe('["map","string"]');
    expect(attr("id")).toMatchObject({ computed: true, optional: false, required: false, sensitive: false });
    expect(attr("size")).toMatchObject({ computed: true, optional: true });
    expect(attr("secret")).toMatchObject({ sensitive: true });
    expect(attr("token")).toMatchObject({ write_only: true });
    expect(block.block_types).toEqual([expect.objectContaining({ type_name: "rule", nesting: "LIST" })]);
    expect(schema.provider!.block!.attributes!.map((a) => a.name)).toEqual(["endpoint"]);
  });
});

describe("validation", () => {
  it("skips validators on unknown values", async () => {
    const { server: s } = server();
    const r = await s.validateResourceConfig({ type_name: WIDGET, config: dv(widget({ name: UNKNOWN, rule: [{ port: UNKNOWN }] })) });
    expect(r.diagnostics).toEqual([]);
  });

  it("reports invalid values with the attribute path, into nested blocks", async () => {
    const { server: s } = server();
    const r = await s.validateResourceConfig({ type_name: WIDGET, config: dv(widget({ name: "far-too-long-name", rule: [{ port: 80 }, { port: 0 }] })) });
    expect(r.diagnostics).toHaveLength(2);
    expect(r.diagnostics!.map((d) => d.severity)).toEqual(["ERROR", "ERROR"]);
    expect(r.diagnostics!.map((d) => d.attribute?.steps)).toEqual([
      [{ attribute_name: "name" }],
      [{ attribute_name: "rule" }, { element_key_int: 1 }, { attribute_name: "port" }],
    ]);
  });

  it("refuses a configured computed-only attribute, known or unknown, at its path, into nested blocks", async () => {
    // The widget's rule block has no computed-only attribute: give it one.
    const base = widgetResource();
    const rule = widgetSchema.block.blocks!.rule!;
    const schema = {
      ...widgetSchema,
      block: {
        ...widgetSchema.block,
        blocks: {
          rule: { ...rule, block: { attributes: { ...rule.block.attributes, rule_id: { type: ctyString, computed: true, description: "computed" } } } },
        },
      },
    };
    const resource = { ...base, schema };
    const s = new FrameworkServer(widgetProvider(resource), { logger: silent, env: {} });
    const t = blockType(schema.block);
    const config = widget({ id: "x", name: "n", secret: UNKNOWN, rule: [{ port: 80, rule_id: "r" }] });
    const validated = await s.validateResourceConfig({ type_name: WIDGET, config: encodeDynamicValue(config, t) });
    expect(validated.diagnostics!.map((d) => [d.severity, d.summary, d.attribute?.steps])).toEqual([
      ["ERROR", "Invalid configuration for read-only attribute", [{ attribute_name: "id" }]],
      ["ERROR", "Invalid configuration for read-only attribute", [{ attribute_name: "secret" }]],
      ["ERROR", "Invalid configuration for read-only attribute", [{ attribute_name: "rule" }, { element_key_int: 0 }, { attribute_name: "rule_id" }]],
    ]);
    expect(validated.diagnostics![2]!.detail).toMatch(/^rule\[0\]\.rule_id is set by the provider and cannot be configured/);
    // Optional+computed attributes (size) may be set; plan refuses the same as validate.
    const plan = await s.planResourceChange({
      type_name: WIDGET,
      prior_state: encodeDynamicValue(NULL, t),
      proposed_new_state: encodeDynamicValue(config, t),
      config: encodeDynamicValue(config, t),
    });
    expect(plan.diagnostics!.map((d) => d.attribute?.steps?.[0])).toEqual([{ attribute_name: "id" }, { attribute_name: "secret" }, { attribute_name: "rule" }]);
    const fine = await s.validateResourceConfig({ type_name: WIDGET, config: encodeDynamicValue(widget({ name: "n", size: 2 }), t) });
    expect(fine.diagnostics).toEqual([]);
  });

  it("runs validators again at plan time, when earlier unknowns are known", async () => {
    const { server: s } = server();
    const config = widget({ name: "far-too-long-name" });
    const r = await s.planResourceChange({ type_name: WIDGET, prior_state: dv(NULL), proposed_new_state: dv(config), config: dv(config) });
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", attribute: { steps: [{ attribute_name: "name" }] } })]);
  });
});

describe("plan", () => {
  it("returns requires_replace as attribute paths and the prior private data", async () => {
    const { server: s } = server();
    const config = widget({ name: "beta", size: 3, color: "red" });
    const proposed = widget({ id: "w-1", name: "beta", size: 3, color: "red", revision: "r1", secret: "s3cr3t-value-1" });
    const r = await s.planResourceChange({
      type_name: WIDGET,
      prior_state: dv(full),
      proposed_new_state: dv(proposed),
      config: dv(config),
      prior_private: Buffer.from("keep"),
    });
    expect(r.requires_replace).toEqual([{ steps: [{ attribute_name: "name" }] }]);
    expect(Buffer.from(r.planned_private!).toString()).toBe("keep");
    const planned = decoded(r.planned_state)!;
    expect(planned.id).toBeInstanceOf(ExtData);
    expect(planned.name).toBe("beta");
  });
});

describe("read", () => {
  it("echoes private data back", async () => {
    const { server: s } = await configured();
    const r = await s.readResource({ type_name: WIDGET, current_state: dv(full), private: Buffer.from('{"etag":"abc"}') });
    expect(r.diagnostics).toEqual([]);
    expect(Buffer.from(r.private!).toString()).toBe('{"etag":"abc"}');
    expect(decoded(r.new_state)).toMatchObject({ id: "w-1", name: "alpha", secret: "s3cr3t-value-1" });
  });

  it("returns null when the resource reports the object gone", async () => {
    const { server: s } = await configured(
      widgetResource({
        read: async (_req, resp) => {
          resp.state = NULL;
        },
      }),
    );
    const r = await s.readResource({ type_name: WIDGET, current_state: dv(full) });
    expect(r.diagnostics).toEqual([]);
    expect(decoded(r.new_state)).toBeNull();
  });

  it("keeps the prior object when a read fails", async () => {
    const { server: s } = await configured(
      widgetResource({
        read: async (_req, resp) => {
          resp.diagnostics.error("AWS said no");
          resp.state = NULL;
        },
      }),
    );
    const r = await s.readResource({ type_name: WIDGET, current_state: dv(full) });
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", summary: "AWS said no" })]);
    expect(decoded(r.new_state)).toMatchObject({ id: "w-1" });
  });

  it("tells read it completes an import, then drops the import marker", async () => {
    const { server: s, resource } = await configured();
    const imported = await s.importResourceState({ type_name: WIDGET, id: "w-7" });
    expect(imported.diagnostics).toEqual([]);
    expect(imported.imported_resources).toHaveLength(1);
    const item = imported.imported_resources![0]!;
    expect(item.type_name).toBe(WIDGET);
    // A full object: every attribute present, list blocks empty.
    expect(decoded(item.state)).toEqual({ id: "w-7", name: null, size: null, color: null, revision: null, secret: null, token: null, tags: null, rule: [] });

    const r = await s.readResource({ type_name: WIDGET, current_state: item.state, private: item.private });
    expect(resource.calls.read.at(-1)!.afterImport).toBe(true);
    expect(Buffer.from(r.private ?? []).length).toBe(0);
    await s.readResource({ type_name: WIDGET, current_state: item.state, private: Buffer.from("other") });
    expect(resource.calls.read.at(-1)!.afterImport).toBe(false);
  });

  it("refuses to read before ConfigureProvider", async () => {
    const { server: s } = server();
    const r = await s.readResource({ type_name: WIDGET, current_state: dv(full) });
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", summary: "Provider not configured" })]);
  });
});

describe("apply", () => {
  it("creates, and turns anything the resource left unknown into null", async () => {
    const { server: s } = await configured(
      widgetResource({
        create: async ({ planned }, resp) => {
          resp.state = widget({ ...plain(planned), id: "w-9", revision: UNKNOWN, secret: "created-secret-9" });
        },
      }),
    );
    const planned = widget({ name: "alpha", size: 1, id: UNKNOWN, revision: UNKNOWN, secret: UNKNOWN });
    const r = await s.applyResourceChange({
      type_name: WIDGET,
      prior_state: dv(NULL),
      planned_state: dv(planned),
      config: dv(widget({ name: "alpha" })),
      planned_private: Buffer.from("pp"),
    });
    expect(r.diagnostics).toEqual([]);
    expect(decoded(r.new_state)).toEqual({
      id: "w-9",
      name: "alpha",
      size: 1,
      color: null,
      revision: null,
      secret: "created-secret-9",
      token: null,
      tags: null,
      rule: [],
    });
    // A new object is marked so that its first read waits for an eventually consistent API.
    expect(Buffer.from(r.private!).toString()).toBe('{"created":true}');
  });

  it("returns a half-created object together with its error", async () => {
    const { server: s } = await configured(
      widgetResource({
        create: async ({ planned }, resp) => {
          resp.diagnostics.error("Created, but a follow-up step failed", "", ["color"]);
          resp.state = widget({ ...plain(planned), id: "w-half", revision: "r0", secret: "half-secret-123" });
        },
      }),
    );
    const planned = widget({ name: "alpha", size: 1, color: "red", id: UNKNOWN, revision: UNKNOWN, secret: UNKNOWN });
    const r = await s.applyResourceChange({
      type_name: WIDGET,
      prior_state: dv(NULL),
      planned_state: dv(planned),
      config: dv(widget({ name: "alpha", color: "red" })),
    });
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", attribute: { steps: [{ attribute_name: "color" }] } })]);
    expect(decoded(r.new_state)).toMatchObject({ id: "w-half", secret: "half-secret-123" });
  });

  it("keeps the object when a resource throws: the prior one on update, and what create had handed back", async () => {
    const { server: s } = await configured(
      widgetResource({
        create: async ({ planned }, resp) => {
          resp.state = widget({ ...plain(planned), id: "w-made", revision: "r0", secret: "made-secret-123" });
          throw new Error("create threw after making the widget");
        },
        update: async () => {
          throw new Error("update threw");
        },
      }),
    );
    const planned = widget({ name: "alpha", size: 1, color: "red", id: UNKNOWN, revision: UNKNOWN, secret: UNKNOWN });
    const created = await s.applyResourceChange({
      type_name: WIDGET,
      prior_state: dv(NULL),
      planned_state: dv(planned),
      config: dv(widget({ name: "alpha" })),
    });
    expect(created.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", summary: "Provider error in ApplyResourceChange" })]);
    expect(created.diagnostics![0]!.detail).toContain("create threw after making the widget");
    expect(decoded(created.new_state)).toMatchObject({ id: "w-made", secret: "made-secret-123" });

    const updated = await s.applyResourceChange({
      type_name: WIDGET,
      prior_state: dv(full),
      planned_state: dv(widget({ ...plain(full), color: "blue", revision: UNKNOWN })),
      config: dv(widget({ name: "alpha", color: "blue" })),
    });
    expect(updated.diagnostics![0]!.detail).toContain("update threw");
    expect(decoded(updated.new_state)).toMatchObject({ id: "w-1", color: "red", secret: "s3cr3t-value-1" });
  });

  it("deletes to a null state, and keeps the object when delete fails", async () => {
    const ok = await configured();
    const gone = await ok.server.applyResourceChange({ type_name: WIDGET, prior_state: dv(full), planned_state: dv(NULL), config: dv(NULL) });
    expect(gone.diagnostics).toEqual([]);
    expect(decoded(gone.new_state)).toBeNull();

    const failing = await configured(widgetResource({ delete: async (_req, resp) => void resp.diagnostics.error("DeleteConflict") }));
    const kept = await failing.server.applyResourceChange({ type_name: WIDGET, prior_state: dv(full), planned_state: dv(NULL), config: dv(NULL) });
    expect(kept.diagnostics).toHaveLength(1);
    expect(decoded(kept.new_state)).toMatchObject({ id: "w-1" });
  });
});

describe("upgrade", () => {
  it("reads stored JSON into a full object, dropping attributes the schema no longer has, with list blocks never null", async () => {
    const { server: s } = server();
    const r = await s.upgradeResourceState({
      type_name: WIDGET,
      version: 1,
      raw_state: { json: Buffer.from('{"id":"w-1","name":"alpha","size":3,"old_attr":true,"rule":null}') },
    });
    expect(r.diagnostics).toEqual([]);
    expect(decoded(r.upgraded_state)).toEqual({
      id: "w-1",
      name: "alpha",
      size: 3,
      color: null,
      revision: null,
      secret: null,
      token: null,
      tags: null,
      rule: [],
    });
  });

  it("keeps integers beyond 2^53 exact", async () => {
    const { server: s } = server();
    const r = await s.upgradeResourceState({
      type_name: WIDGET,
      version: 1,
      raw_state: { json: Buffer.from('{"id":"w-1","name":"alpha","size":9007199254740993}') },
    });
    expect(r.diagnostics).toEqual([]);
    const upgraded = decode(r.upgraded_state!.msgpack!, { useBigInt64: true }) as Record<string, unknown>;
    expect(upgraded.size).toBe(9007199254740993n);
  });
});

describe("upgrade hook", () => {
  it("hands the resource the decoded state and version, and stores what it returns", async () => {
    const seen: { version: number; name: unknown }[] = [];
    const resource = {
      ...widgetResource(),
      upgradeState: ({ version, state }: UpgradeStateRequest, resp: UpgradeStateResponse) => {
        seen.push({ version, name: decodedName(state) });
        resp.state = widget({ ...plain(state), color: "blue" });
      },
    };
    const { server: s } = server(resource);
    const r = await s.upgradeResourceState({
      type_name: WIDGET,
      version: "1",
      raw_state: { json: Buffer.from('{"id":"w-1","name":"alpha","secret":"kept-secret-1"}') },
    });
    expect(r.diagnostics).toEqual([]);
    expect(seen).toEqual([{ version: 1, name: "alpha" }]);
    expect(decoded(r.upgraded_state)).toMatchObject({ id: "w-1", color: "blue", secret: "kept-secret-1", rule: [] });
    // No stored object, nothing to reshape.
    await s.upgradeResourceState({ type_name: WIDGET, version: 1, raw_state: { json: Buffer.from("") } });
    expect(seen).toHaveLength(1);
  });
});

describe("move", () => {
  const source = '{"id":"w-1","name":"alpha","secret":"moved-secret-1","legacy":true}';
  const request = (extra: Partial<tf.MoveResourceState_Request> = {}): tf.MoveResourceState_Request => ({
    source_provider_address: "registry.example.com/acme/widgets",
    source_type_name: WIDGET,
    source_schema_version: "2",
    source_state: { json: Buffer.from(source) },
    target_type_name: WIDGET,
    source_private: Buffer.from('{"schema_version":"2"}'),
    ...extra,
  });

  it("advertises move_resource_state", async () => {
    const { server: s } = server();
    expect((await s.getProviderSchema()).server_capabilities).toMatchObject({ move_resource_state: true });
    expect((await s.getMetadata()).server_capabilities).toMatchObject({ move_resource_state: true });
  });

  it("refuses a move into a resource without a move hook, naming the source", async () => {
    const { server: s } = server();
    const r = await s.moveResourceState(request());
    expect(r.target_state).toBeUndefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", summary: "Move not supported" })]);
    expect(r.diagnostics![0]!.detail).toContain("registry.example.com/acme/widgets");
  });

  it("refuses an unknown target type", async () => {
    const { server: s } = server();
    const r = await s.moveResourceState(request({ target_type_name: "test_nothing" }));
    expect(r.diagnostics![0]!.detail).toContain("test_nothing");
  });

  it("passes the request to the hook and returns a full object, with no private data unless the hook gives some", async () => {
    const calls: unknown[] = [];
    const resource = {
      ...widgetResource(),
      moveState: (req: MoveStateRequest, resp: MoveStateResponse) => {
        const state = req.decodeSourceState(resp.diagnostics)!;
        calls.push({
          ...req,
          decodeSourceState: undefined,
          sourceRawState: Buffer.from(req.sourceRawState).toString(),
          sourcePrivate: Buffer.from(req.sourcePrivate).toString(),
        });
        resp.targetState = widget({ ...plain(state), color: "moved" });
      },
    };
    const s = new FrameworkServer(widgetProvider(resource), { logger: silent, env: {}, providerAddress: "registry.example.com/me/widgets" });
    const r = await s.moveResourceState(request());
    expect(r.diagnostics).toEqual([]);
    expect(calls).toEqual([
      {
        targetProviderAddress: "registry.example.com/me/widgets",
        sourceProviderAddress: "registry.example.com/acme/widgets",
        sourceTypeName: WIDGET,
        sourceSchemaVersion: 2,
        sourceRawState: source,
        sourcePrivate: '{"schema_version":"2"}',
        decodeSourceState: undefined,
      },
    ]);
    expect(decoded(r.target_state)).toEqual({
      id: "w-1",
      name: "alpha",
      size: null,
      color: "moved",
      revision: null,
      secret: "moved-secret-1",
      token: null,
      tags: null,
      rule: [],
    });
    expect(Buffer.from(r.target_private!).length).toBe(0);

    const withPrivate = server({
      ...widgetResource(),
      moveState: (req, resp) => {
        resp.targetState = req.decodeSourceState(resp.diagnostics)!;
        resp.targetPrivate = Buffer.from("mine");
      },
    });
    const p = await withPrivate.server.moveResourceState(request());
    expect(Buffer.from(p.target_private!).toString()).toBe("mine");
  });

  it("returns no state when the hook refuses or the source state cannot be read", async () => {
    const refusing = server({
      ...widgetResource(),
      moveState: (_req, resp) => void resp.diagnostics.error("Cannot move from this provider", "given X, accepted Y"),
    });
    const r = await refusing.server.moveResourceState(request());
    expect(r.target_state).toBeUndefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", summary: "Cannot move from this provider" })]);

    const reading = server({
      ...widgetResource(),
      moveState: (req, resp) => {
        resp.targetState = req.decodeSourceState(resp.diagnostics) ?? NULL;
      },
    });
    for (const json of ["{not json", "", "null"]) {
      const bad = await reading.server.moveResourceState(request({ source_state: { json: Buffer.from(json) } }));
      expect(bad.target_state, json).toBeUndefined();
      expect(
        bad.diagnostics!.map((d) => d.severity),
        json,
      ).toEqual(["ERROR"]);
    }
  });
});

describe("StopProvider", () => {
  it("aborts the signal of in-flight requests, and later requests get a fresh one", async () => {
    let seen: AbortSignal | undefined;
    let release!: () => void;
    const { server: s, resource } = await configured(
      widgetResource({
        read: (req) =>
          new Promise<void>((resolve) => {
            seen = req.signal;
            release = () => resolve();
            req.signal.addEventListener("abort", () => resolve());
          }),
      }),
    );
    const pending = s.readResource({ type_name: WIDGET, current_state: dv(full) });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen?.aborted).toBe(false);
    await expect(s.stopProvider()).resolves.toEqual({ Error: "" });
    expect(seen?.aborted).toBe(true);
    await pending;
    void s.readResource({ type_name: WIDGET, current_state: dv(full) });
    await new Promise((r) => setTimeout(r, 10));
    expect(resource.calls.read.at(-1)!.signal.aborted).toBe(false);
    release();
  });
});

describe("registerProviderService over gRPC", () => {
  let dir: string;
  let grpcServer: GrpcServer;
  let client: ServiceClient;
  const logLines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "framework-server-test-"));
    const resource = widgetResource({
      read: async () => {
        throw new Error("resource blew up on read");
      },
      create: () => {
        throw new TypeError("synchronous throw in create");
      },
      // Not a call on a real object: the framework leaves this throw to the service.
      modifyPlan: () => {
        throw new Error("plan hook blew up");
      },
    });
    const logger = createLogger({ level: "trace", module: "test", write: (l) => logLines.push(l) });
    const fw = new FrameworkServer(widgetProvider(resource), { logger, env: {} });
    grpcServer = new GrpcServer(64 * 1024 * 1024);
    registerProviderService(grpcServer, fw, logger);
    await grpcServer.listen({ path: join(dir, "s.sock") });
    const target = `unix://${join(dir, "s.sock")}`;
    client = makeClient("tfplugin6.Provider", target, grpc.credentials.createInsecure());
    await unary(client, "ConfigureProvider", { config: { msgpack: Buffer.from(encode({ endpoint: null })) } });
  });
  afterAll(() => {
    client?.close();
    grpcServer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("turns an exception from a resource into an error diagnostic and keeps serving", async () => {
    const r = await unary<{ diagnostics: tf.Diagnostic[] }>(client, "ReadResource", { type_name: WIDGET, current_state: dv(full) });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.severity).toBe("ERROR");
    expect(r.diagnostics[0]!.detail).toContain("resource blew up on read");

    const c = await unary<{ diagnostics: tf.Diagnostic[] }>(client, "ApplyResourceChange", {
      type_name: WIDGET,
      prior_state: dv(NULL),
      planned_state: dv(widget({ name: "a", size: 1, id: UNKNOWN, revision: UNKNOWN, secret: UNKNOWN })),
      config: dv(widget({ name: "a" })),
    });
    expect(c.diagnostics[0]!.detail).toContain("synchronous throw in create");

    const p = await unary<{ diagnostics: tf.Diagnostic[] }>(client, "PlanResourceChange", {
      type_name: WIDGET,
      prior_state: dv(NULL),
      proposed_new_state: dv(widget({ name: "a", size: 1, id: UNKNOWN, revision: UNKNOWN, secret: UNKNOWN })),
      config: dv(widget({ name: "a" })),
    });
    expect(p.diagnostics).toEqual([expect.objectContaining({ severity: "ERROR", summary: "Provider error in PlanResourceChange" })]);
    expect(p.diagnostics[0]!.detail).toContain("plan hook blew up");
    expect(logLines.some((l) => l.includes("request failed") && l.includes("plan hook blew up"))).toBe(true);

    const schema = await unary<{ resource_schemas: Record<string, unknown> }>(client, "GetProviderSchema", {});
    expect(Object.keys(schema.resource_schemas)).toEqual([WIDGET]);
    expect(logLines.some((l) => l.includes("resource blew up on read"))).toBe(true);
  });

  it("keeps sensitive values it has seen out of log lines", async () => {
    const secret = "very-secret-widget-value-42";
    await unary(client, "UpgradeResourceState", {
      type_name: WIDGET,
      version: 1,
      raw_state: { json: Buffer.from(JSON.stringify({ id: "w-1", name: "a", secret })) },
    });
    // Any later log line that would carry the value, such as an error message quoting it, is masked.
    createLogger({ level: "trace", module: "test", write: (l) => logLines.push(l) }).error(`failed near ${secret}`, { value: secret });
    expect(logLines.join("")).not.toContain(secret);
    expect(logLines.at(-1)).toContain("[REDACTED]");
  });
});
