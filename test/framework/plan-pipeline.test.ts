// The plan rules Terraform checks on a provider's answer, exercised on a tiny widget resource.
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../src/framework/diagnostics.ts";
import { planResourceChange } from "../../src/framework/plan-pipeline.ts";
import type { Value } from "../../src/values/value.ts";
import { NULL, UNKNOWN, asMap, getAttribute, known } from "../../src/values/value.ts";
import { widget, widgetResource, widgetSchema, type WidgetClient } from "../support/widget-resource.ts";
import type { Resource } from "../../src/framework/resource.ts";
import { createLogger } from "../../src/logging/logger.ts";

const attrs = widgetSchema.block.attributes;

/** Terraform's proposed new state: config values, with prior values where config leaves a computed attribute null. */
function proposedNewState(prior: Value, config: Value): Value {
  const out = new Map(asMap(config) ?? []);
  for (const [name, schema] of Object.entries(attrs)) {
    if (schema.computed && getAttribute(config, name).kind === "null") out.set(name, getAttribute(prior, name));
  }
  return known(out);
}

function plan(prior: Value, config: Value, resource: Resource<WidgetClient> = widgetResource()) {
  const diags = new Diagnostics();
  const result = planResourceChange(resource, { prior, proposed: proposedNewState(prior, config), config, client: undefined }, diags);
  return { ...result, diags, get: (name: string) => getAttribute(result.planned, name) };
}

const existing = widget({ id: "w-1", name: "alpha", size: 3, color: "red", revision: "r1", secret: "s3cr3t-value-1", tags: { env: "dev" } });
const sameConfig = widget({ name: "alpha", size: 3, color: "red", tags: { env: "dev" } });

describe("create", () => {
  it("fills defaults, plans computed attributes unknown and keeps configured values", () => {
    const p = plan(NULL, widget({ name: "alpha", color: "red" }));
    expect(p.get("name")).toEqual(known("alpha"));
    expect(p.get("color")).toEqual(known("red"));
    expect(p.get("size")).toEqual(known(1));
    for (const name of ["id", "revision", "secret"]) expect(p.get(name).kind, name).toBe("unknown");
    expect(p.get("tags")).toEqual(NULL);
    expect(p.requiresReplace).toEqual([]);
    expect(p.diags.items).toEqual([]);
  });

  it("keeps a configured value of an optional+computed attribute instead of the default", () => {
    expect(plan(NULL, widget({ name: "alpha", size: 7 })).get("size")).toEqual(known(7));
  });

  it("never plans a write-only value", () => {
    expect(plan(NULL, widget({ name: "alpha", token: "write-only-123" })).get("token")).toEqual(NULL);
    expect(plan(existing, widget({ name: "alpha", size: 3, color: "red", tags: { env: "dev" }, token: "write-only-123" })).get("token")).toEqual(NULL);
  });

  it("is deterministic (Terraform plans again before apply and compares)", () => {
    const config = widget({ name: "alpha", color: "red" });
    expect(plan(NULL, config).planned).toEqual(plan(NULL, config).planned);
  });
});

describe("update", () => {
  it("with nothing changed, plans exactly the prior state", () => {
    const p = plan(existing, sameConfig);
    expect(p.planned).toEqual(existing);
    expect(p.requiresReplace).toEqual([]);
  });

  it("with an in-place change, keeps stable computed values and plans the others unknown", () => {
    const p = plan(existing, widget({ name: "alpha", size: 3, color: "blue", tags: { env: "dev" } }));
    expect(p.get("color")).toEqual(known("blue"));
    expect(p.get("id")).toEqual(known("w-1"));
    expect(p.get("secret")).toEqual(known("s3cr3t-value-1"));
    expect(p.get("revision").kind).toBe("unknown");
    expect(p.requiresReplace).toEqual([]);
  });

  it("applies the default again when the configuration drops an optional+computed value", () => {
    const p = plan(existing, widget({ name: "alpha", color: "red", tags: { env: "dev" } }));
    expect(p.get("size")).toEqual(known(1));
  });

  it("requires replacement only when a force-new value changes, and then plans every computed value afresh", () => {
    expect(plan(existing, sameConfig).requiresReplace).toEqual([]);
    const p = plan(existing, widget({ name: "beta", size: 3, color: "red", tags: { env: "dev" } }));
    expect(p.requiresReplace).toEqual([["name"]]);
    for (const name of ["id", "secret", "revision"]) expect(p.get(name).kind, name).toBe("unknown");
    expect(p.get("name")).toEqual(known("beta"));
  });

  it("counts an unknown force-new value as a change", () => {
    const p = plan(existing, widget({ name: UNKNOWN, size: 3, color: "red", tags: { env: "dev" } }));
    expect(p.requiresReplace).toEqual([["name"]]);
  });

  it("lets a resource add a replacement reason in modifyPlan, which replans computed values", () => {
    const resource = widgetResource({
      modifyPlan(_request, modification) {
        if (getAttribute(modification.planned, "color").kind === "known") modification.requiresReplace.push(["color"]);
      },
    });
    const p = plan(existing, widget({ name: "alpha", size: 3, color: "green", tags: { env: "dev" } }), resource);
    expect(p.requiresReplace).toEqual([["color"]]);
    expect(p.get("id").kind).toBe("unknown");
  });
});

describe("destroy", () => {
  it("plans null with no replacement", () => {
    const diags = new Diagnostics();
    const p = planResourceChange(widgetResource(), { prior: existing, proposed: NULL, config: NULL, client: undefined }, diags);
    expect(p).toEqual({ planned: NULL, requiresReplace: [] });
    expect(diags.items).toEqual([]);
  });

  it("gives the resource its destroy hook, whose diagnostics stand, and still plans null", () => {
    const diags = new Diagnostics();
    const seen: Value[] = [];
    const resource: Resource<WidgetClient> = {
      ...widgetResource(),
      modifyDestroyPlan(request, resp) {
        seen.push(request.prior);
        resp.diagnostics.warning("Widget goes away", "Destroying it cannot be undone.");
      },
    };
    const p = planResourceChange(resource, { prior: existing, proposed: NULL, config: NULL, client: undefined }, diags);
    expect(p).toEqual({ planned: NULL, requiresReplace: [] });
    expect(seen).toEqual([existing]);
    expect(diags.items.map((d) => `${d.severity} ${d.summary}`)).toEqual(["warning Widget goes away"]);
  });
});

describe("named steps", () => {
  it("logs each step in order at trace level, with the attributes it changed", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "trace", module: "test", write: (line) => lines.push(line) });
    const config = widget({ name: "alpha", size: 4, color: "red", tags: { env: "dev" } });
    planResourceChange(
      widgetResource(),
      { prior: existing, proposed: proposedNewState(existing, config), config, client: undefined },
      new Diagnostics(),
      logger,
    );
    const steps = lines.map((l) => JSON.parse(l) as Record<string, string>).filter((e) => e["@message"] === "plan step");
    expect(steps.map((e) => e.tf_plan_step)).toEqual(["defaults", "unknown marking", "requires-replace", "resource hook"]);
    expect(steps[1]!.tf_attributes_changed).toContain("revision");
  });

  it("logs nothing below trace level", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "debug", module: "test", write: (line) => lines.push(line) });
    planResourceChange(
      widgetResource(),
      { prior: existing, proposed: proposedNewState(existing, sameConfig), config: sameConfig, client: undefined },
      new Diagnostics(),
      logger,
    );
    expect(lines).toEqual([]);
  });
});
