/**
 * The null provider of `npm run bench`: this provider's schemas, served by the same framework,
 * transport and launcher, with handlers that do no work and call no API. Create and Update
 * return the planned object with its unknown computed attributes filled in, Read returns the
 * state it is given, Delete does nothing. What a Terraform command costs with it is what any
 * plugin with these schemas costs; what ours costs beyond it is the provider's own.
 *
 * Its build (scripts/null-provider-build.mjs) puts this module in place of
 * src/provider-implementation.ts; the shipped bundles never contain it.
 */
import type { ProviderServer } from "../src/protocol/provider-server.ts";
import type { Logger } from "../src/logging/logger.ts";
import type { Provider } from "../src/framework/provider.ts";
import type { DataSource } from "../src/framework/data-source.ts";
import type { Resource } from "../src/framework/resource.ts";
import type { AttributeSchema, Schema } from "../src/framework/schema.ts";
import type { Value } from "../src/values/value.ts";
import { asMap, known, listValue, mapValue, numberValue, stringValue } from "../src/values/value.ts";
import { FrameworkServer } from "../src/framework/framework-server.ts";
import { awsProvider } from "../src/provider/aws-provider.ts";

export function createProviderServer(options: { logger: Logger; providerAddress: string }): ProviderServer {
  return new FrameworkServer(nullProvider(awsProvider()), options);
}

export function nullProvider(real: Provider<unknown>): Provider<object> {
  return {
    typeName: real.typeName,
    schema: real.schema,
    resources: real.resources.map(nullResource),
    dataSources: (real.dataSources ?? []).map(nullDataSource),
    async configure(_req, resp) {
      resp.client = {};
    },
  };
}

let serial = 0;

/** A value for a computed attribute Terraform left unknown: a fresh string, zero, false, empty. */
function filler(name: string, attr: AttributeSchema): Value {
  const type = attr.type;
  if (type === "string") return stringValue(`null-${name}-${process.pid}-${++serial}`);
  if (type === "number") return numberValue(0);
  if (type === "bool") return known(false);
  if (Array.isArray(type) && type[0] === "map") return mapValue({});
  if (Array.isArray(type) && (type[0] === "list" || type[0] === "set")) return listValue([]);
  return { kind: "null" };
}

function filled(schema: Schema, planned: Value): Value {
  const attrs = asMap(planned);
  if (!attrs) return planned;
  const next = new Map(attrs);
  for (const [name, attr] of Object.entries(schema.block.attributes)) {
    if (next.get(name)?.kind === "unknown") next.set(name, filler(name, attr));
  }
  return known(next);
}

export function nullResource(real: Resource<unknown>): Resource<object> {
  return {
    typeName: real.typeName,
    schema: real.schema,
    async create({ planned }, resp) {
      resp.state = filled(real.schema, planned);
    },
    // The response holds the state it is given.
    async read() {},
    async update({ planned }, resp) {
      resp.state = filled(real.schema, planned);
    },
    async delete() {},
    importState: (req, resp) => real.importState(req, resp),
  };
}

/** Reads nothing: the configuration, with every computed attribute it leaves null filled in. */
export function nullDataSource(real: DataSource<unknown>): DataSource<object> {
  return {
    typeName: real.typeName,
    schema: real.schema,
    async read({ config }, resp) {
      const attrs = asMap(config);
      if (!attrs) {
        resp.state = config;
        return;
      }
      const next = new Map(attrs);
      for (const [name, attr] of Object.entries(real.schema.block.attributes)) {
        if (attr.computed && next.get(name)?.kind === "null") next.set(name, filler(name, attr));
      }
      resp.state = known(next);
    },
  };
}
