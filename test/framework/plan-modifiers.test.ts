// Per-attribute plan behaviour for in-place updates (issue 14): an attribute whose change
// renews computed values, and the private notes a resource keeps beside an object.
import { decode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../src/framework/diagnostics.ts";
import { FrameworkServer } from "../../src/framework/framework-server.ts";
import { renewsOnChange } from "../../src/framework/plan-modifiers.ts";
import { planResourceChange } from "../../src/framework/plan-pipeline.ts";
import { readPrivate, writePrivate } from "../../src/framework/private-state.ts";
import type { Resource } from "../../src/framework/resource.ts";
import type { Schema } from "../../src/framework/schema.ts";
import { blockType } from "../../src/framework/schema.ts";
import { encodeDynamicValue } from "../../src/protocol/dynamic-value.ts";
import type { Value } from "../../src/values/value.ts";
import { NULL, asMap, asNumber, getAttribute, known } from "../../src/values/value.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { plain, widget, widgetProvider, widgetResource, widgetSchema, type WidgetClient } from "../support/widget-resource.ts";

// The widget, with `color` renewing `secret` whenever it changes to a value.
const schema: Schema = {
  ...widgetSchema,
  block: {
    ...widgetSchema.block,
    attributes: {
      ...widgetSchema.block.attributes,
      color: { ...widgetSchema.block.attributes.color!, planModifiers: [renewsOnChange(["secret", "name"], { exceptRemoval: true })] },
    },
  },
};
const rotating = (overrides: Partial<Resource<WidgetClient>> = {}): Resource<WidgetClient> => ({ ...widgetResource(), schema, ...overrides });

function proposed(prior: Value, config: Value): Value {
  const out = new Map(asMap(config) ?? []);
  for (const [name, s] of Object.entries(schema.block.attributes))
    if (s.computed && getAttribute(config, name).kind === "null") out.set(name, getAttribute(prior, name));
  return known(out);
}

function plan(prior: Value, config: Value, resource = rotating()) {
  const diags = new Diagnostics();
  const r = planResourceChange(resource, { prior, proposed: proposed(prior, config), config, client: undefined }, diags);
  return (name: string) => getAttribute(r.planned, name);
}

const existing = widget({ id: "w-1", name: "alpha", size: 3, color: "red", revision: "r1", secret: "s3cr3t-value-1" });

describe("renewsOnChange", () => {
  it("plans the renewed computed attribute unknown when the attribute changes on update", () => {
    const p = plan(existing, widget({ name: "alpha", size: 3, color: "blue" }));
    expect(p("secret").kind).toBe("unknown");
    // A stable attribute that is not renewed keeps its value; a configured one is never renewed.
    expect(p("id")).toEqual(known("w-1"));
    expect(p("name")).toEqual(known("alpha"));
  });

  it("renews nothing when the value stays, or is removed with exceptRemoval", () => {
    expect(plan(existing, widget({ name: "alpha", size: 3, color: "red" }))("secret")).toEqual(known("s3cr3t-value-1"));
    expect(plan(existing, widget({ name: "alpha", size: 3 }))("secret")).toEqual(known("s3cr3t-value-1"));
  });

  it("counts a first value (null before) as a change, and does not run on create", () => {
    const noColor = widget({ id: "w-1", name: "alpha", size: 3, revision: "r1", secret: "s3cr3t-value-1" });
    expect(plan(noColor, widget({ name: "alpha", size: 3, color: "red" }))("secret").kind).toBe("unknown");
    // On create every computed value is unknown anyway.
    expect(plan(NULL, widget({ name: "alpha", color: "red" }))("secret").kind).toBe("unknown");
  });

  it("can pick its targets from the planned object", () => {
    const picky = rotating({
      schema: {
        ...schema,
        block: {
          ...schema.block,
          attributes: {
            ...schema.block.attributes,
            color: { ...schema.block.attributes.color!, planModifiers: [renewsOnChange((o) => (asNumber(getAttribute(o, "size")) === 3 ? ["secret"] : []))] },
          },
        },
      },
    });
    expect(plan(existing, widget({ name: "alpha", size: 3, color: "blue" }), picky)("secret").kind).toBe("unknown");
    expect(plan(existing, widget({ name: "alpha", size: 4, color: "blue" }), picky)("secret")).toEqual(known("s3cr3t-value-1"));
  });
});

describe("private notes", () => {
  const type = blockType(schema.block);
  const dv = (v: Value) => encodeDynamicValue(v, type);
  const silent = createLogger({ level: "off", module: "test" });

  it("keeps the exact markers older versions wrote, and reads notes beside them", () => {
    expect(writePrivate("create").toString()).toBe('{"created":true}');
    expect(writePrivate("import").toString()).toBe('{"import":true}');
    expect(writePrivate(undefined).length).toBe(0);
    expect(readPrivate(writePrivate("create", { a: 1 }))).toEqual({ origin: "create", notes: { a: 1 } });
    expect(readPrivate(Buffer.from("not json"))).toEqual({ origin: undefined, notes: {} });
  });

  it("stores notes an update sets, shows them to the next plan, and keeps them through a read", async () => {
    const seen: unknown[] = [];
    const resource = rotating({
      async update({ planned }, resp) {
        resp.private.rotation = "unconfirmed";
        resp.state = widget({ ...plain(planned), secret: "new-secret-value-2", revision: "r2" });
      },
      modifyPlan(request) {
        seen.push(request.private);
      },
    });
    const s = new FrameworkServer(widgetProvider(resource), { logger: silent, env: {} });
    await s.configureProvider({ config: encodeDynamicValue(known(new Map([["endpoint", NULL]])), blockType(widgetProvider(resource).schema)) });
    const config = widget({ name: "alpha", size: 3, color: "blue" });
    const applied = await s.applyResourceChange({
      type_name: "test_widget",
      prior_state: dv(existing),
      planned_state: dv(widget({ ...plain(existing), color: "blue" })),
      config: dv(config),
      planned_private: Buffer.from('{"created":true}'),
    });
    expect(applied.diagnostics).toEqual([]);
    expect(readPrivate(applied.private)).toEqual({ origin: "create", notes: { rotation: "unconfirmed" } });
    const state = decode(applied.new_state!.msgpack!) as Record<string, unknown>;
    expect(state.color).toBe("blue");

    const read = await s.readResource({ type_name: "test_widget", current_state: applied.new_state, private: applied.private });
    // The origin marker goes with the first read that finds the object; the notes stay.
    expect(readPrivate(read.private)).toEqual({ origin: undefined, notes: { rotation: "unconfirmed" } });

    const after = widget({ ...plain(existing), color: "blue" });
    await s.planResourceChange({
      type_name: "test_widget",
      prior_state: dv(after),
      proposed_new_state: dv(after),
      config: dv(config),
      prior_private: read.private,
    });
    expect(seen).toEqual([{ rotation: "unconfirmed" }]);
  });
});
