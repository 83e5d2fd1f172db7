/**
 * The data source RPCs on framework terms: validation, and a read that needs a wholly known
 * configuration and answers with a wholly known object. Decoded requests come from
 * from-wire.ts, responses go out through to-wire.ts.
 */
import type { Value } from "../values/value.ts";
import { NULL, asMap, containsUnknown, isKnown, isNull, withAttributes } from "../values/value.ts";
import { type AttributePath, type Diagnostics, type WithDiagnostics, formatPath } from "./diagnostics.ts";
import type { DataSource } from "./data-source.ts";
import { validateConfig } from "./config-checks.ts";
import { forEachAttribute, normalizeObject, registerSecrets, unknownsToNull } from "./object-values.ts";
import { type OperationContext, configuredContext } from "./operation-context.ts";
import type { BlockSchema } from "./schema.ts";

export interface ValidateDataResourceConfigRequest {
  readonly config: Value;
}

export interface ReadDataSourceRequest {
  readonly config: Value;
}

export interface ReadDataSourceResponse extends WithDiagnostics {
  /** Set only when the read succeeded: on error Terraform discards the state. */
  readonly state?: Value;
}

export function validateDataResourceConfig<C>(dataSource: DataSource<C>, req: ValidateDataResourceConfigRequest, diags: Diagnostics): WithDiagnostics {
  if (!diags.hasErrors()) validateConfig(dataSource, req.config, diags);
  return { diagnostics: diags };
}

export async function readDataSource<C>(
  dataSource: DataSource<C>,
  req: ReadDataSourceRequest,
  op: OperationContext<C>,
  diags: Diagnostics,
): Promise<ReadDataSourceResponse> {
  if (diags.hasErrors()) return { diagnostics: diags };
  const { config } = req;
  const block = dataSource.schema.block;
  if (isNull(config)) {
    diags.error("No configuration", `Terraform sent no configuration to read ${dataSource.typeName} with; this is a bug in Terraform or in the client.`);
    return { diagnostics: diags };
  }
  // Terraform plans the read itself while the configuration has unknowns (and never defers to
  // the provider outside experiments); a read with unknowns is a client's mistake, not a read.
  for (const path of unknownPaths(block, config)) {
    diags.error(
      "Configuration not yet known",
      `${path.length > 0 ? formatPath(path) : "The configuration"} is not known yet, so ${dataSource.typeName} cannot be read; Terraform reads data sources once their configuration is known.`,
      path,
    );
  }
  if (diags.hasErrors()) return { diagnostics: diags };
  // Terraform validates right before it reads; a client that does not is checked here.
  validateConfig(dataSource, config, diags);
  const ctx = diags.hasErrors() ? undefined : configuredContext(op, diags);
  if (!ctx) return { diagnostics: diags };
  registerSecrets(block, config);
  const resp = { state: NULL as Value, diagnostics: diags };
  await dataSource.read({ ...ctx, config }, resp);
  // On error Terraform discards the state; an object that is missing or not an object is a bug.
  if (diags.hasErrors()) return { diagnostics: diags };
  const read = asMap(resp.state);
  if (!isKnown(resp.state) || !read) {
    diags.error("Data source returned no object", `${dataSource.typeName} returned no object and no error; this is a bug in the provider.`);
    return { diagnostics: diags };
  }
  // Attributes the read leaves out keep their configured value; Terraform wants a wholly known object.
  const state = normalizeObject(block, unknownsToNull(withAttributes(config, Object.fromEntries(read))));
  registerSecrets(block, state);
  return { state, diagnostics: diags };
}

/** Where a configuration still holds unknowns: the attributes themselves, or the whole object. */
function unknownPaths(block: BlockSchema, config: Value): AttributePath[] {
  if (!isKnown(config)) return [[]];
  const paths: AttributePath[] = [];
  forEachAttribute(block, config, (_schema, value, path) => {
    if (containsUnknown(value)) paths.push(path);
  });
  // An unknown nested block is not an attribute: name the object then.
  if (paths.length === 0 && containsUnknown(config)) paths.push([]);
  return paths;
}
