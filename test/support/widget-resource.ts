// A tiny resource for framework tests: one attribute of each planning kind, a nested list
// block, and hooks a test can replace to see what the framework hands a resource.
import type { Provider } from "../../src/framework/provider.ts";
import type { Resource } from "../../src/framework/resource.ts";
import type { Schema } from "../../src/framework/schema.ts";
import { integerBetween, stringLengthBetween } from "../../src/framework/validators.ts";
import { ctyMap, ctyNumber, ctyString } from "../../src/values/cty-type.ts";
import type { Value } from "../../src/values/value.ts";
import { NULL, known, objectValue } from "../../src/values/value.ts";

export const WIDGET = "test_widget";

export const widgetSchema: Schema = {
  version: 1,
  block: {
    attributes: {
      id: { type: ctyString, computed: true, stable: true, description: "stable computed" },
      name: { type: ctyString, required: true, requiresReplace: true, description: "forces replacement", validators: [stringLengthBetween(1, 10)] },
      size: { type: ctyNumber, optional: true, computed: true, default: known(1), description: "defaulted" },
      color: { type: ctyString, optional: true, description: "updatable in place" },
      revision: { type: ctyString, computed: true, description: "changes with every update" },
      secret: { type: ctyString, computed: true, sensitive: true, stable: true, description: "sensitive, set on create" },
      token: { type: ctyString, optional: true, writeOnly: true, description: "write-only" },
      tags: { type: ctyMap(ctyString), optional: true, description: "a map" },
    },
    blocks: {
      rule: {
        nesting: "list",
        description: "nested list block",
        block: { attributes: { port: { type: ctyNumber, required: true, description: "port", validators: [integerBetween(1, 65535)] } } },
      },
    },
  },
};

export interface WidgetClient {
  readonly name: string;
}

type Hooks = {
  create: Resource<WidgetClient>["create"];
  read: Resource<WidgetClient>["read"];
  update: Resource<WidgetClient>["update"];
  delete: Resource<WidgetClient>["delete"];
  modifyPlan?: Resource<WidgetClient>["modifyPlan"];
};

/** A widget resource whose behaviour each test can override. */
export function widgetResource(overrides: Partial<Hooks> = {}): Resource<WidgetClient> & { calls: { read: { afterImport: boolean; signal: AbortSignal }[] } } {
  const calls = { read: [] as { afterImport: boolean; signal: AbortSignal }[] };
  const hooks: Hooks = {
    async create({ planned }, resp) {
      resp.state = widget({ ...plain(planned), id: "w-1", revision: "r1", secret: "widget-secret-123456" });
    },
    // The response comes with the state as it is.
    async read() {},
    async update({ planned }, resp) {
      resp.state = widget({ ...plain(planned), revision: "r2" });
    },
    async delete() {},
    ...overrides,
  };
  const resource: Resource<WidgetClient> & { calls: typeof calls } = {
    typeName: WIDGET,
    schema: widgetSchema,
    calls,
    create: (req, resp) => hooks.create(req, resp),
    read: (req, resp) => {
      calls.read.push({ afterImport: req.afterImport, signal: req.signal });
      return hooks.read(req, resp);
    },
    update: (req, resp) => hooks.update(req, resp),
    delete: (req, resp) => hooks.delete(req, resp),
    importState({ id }, resp) {
      if (!id.startsWith("w-")) {
        resp.diagnostics.error("Invalid import id", "expected w-<n>");
        return;
      }
      resp.state = objectValue({ id: known(id) });
    },
  };
  if (overrides.modifyPlan) resource.modifyPlan = overrides.modifyPlan;
  return resource;
}

export function widgetProvider(resource: Resource<WidgetClient>): Provider<WidgetClient> {
  return {
    typeName: "test",
    schema: { attributes: { endpoint: { type: ctyString, optional: true, description: "where" } } },
    resources: [resource],
    async configure(_req, resp) {
      resp.client = { name: "fake client" };
    },
  };
}

type Plain = string | number | null | Value | Plain[] | { [k: string]: Plain };

/** Builds a widget object value from plain JS: strings/numbers become known, null stays null, Values pass through. */
export function widget(fields: Record<string, Plain>): Value {
  const full: Record<string, Plain> = {
    id: null,
    name: null,
    size: null,
    color: null,
    revision: null,
    secret: null,
    token: null,
    tags: null,
    rule: [],
    ...fields,
  };
  return toValue(full);
}

function toValue(p: Plain): Value {
  if (p === null) return NULL;
  if (typeof p === "string" || typeof p === "number") return known(p);
  if (Array.isArray(p)) return known(p.map(toValue));
  if (typeof p === "object" && "kind" in p && typeof p.kind === "string") return p as Value;
  return objectValue(Object.fromEntries(Object.entries(p as Record<string, Plain>).map(([k, v]) => [k, toValue(v)])));
}

/** The reverse of `widget` for known scalars, so hooks can copy a planned value. */
export function plain(v: Value): Record<string, Plain> {
  if (v.kind !== "known" || !(v.value instanceof Map)) return {};
  return Object.fromEntries([...v.value].map(([k, item]) => [k, item as Plain]));
}
