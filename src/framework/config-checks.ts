/**
 * The checks of a configuration, for resources, data sources and the provider: what the
 * schema refuses, the attributes' validators, then the type's own hook.
 */
import type { Value } from "../values/value.ts";
import { isKnown, isNull } from "../values/value.ts";
import { type Diagnostics, formatPath } from "./diagnostics.ts";
import { forEachAttribute } from "./object-values.ts";
import type { ValidateConfigRequest, ValidateConfigResponse } from "./resource-requests.ts";
import type { BlockSchema, Schema } from "./schema.ts";

interface Configurable {
  readonly schema: Schema;
  validateConfig?(req: ValidateConfigRequest, resp: ValidateConfigResponse): void;
}

export function validateConfig(configurable: Configurable, config: Value, diags: Diagnostics): void {
  rejectReadOnly(configurable.schema.block, config, diags);
  runValidators(configurable.schema.block, config, diags);
  configurable.validateConfig?.({ config }, { diagnostics: diags });
}

/** Validators see known values only: unknown ones are checked again at plan time. */
export function runValidators(block: BlockSchema, config: Value, diags: Diagnostics): void {
  forEachAttribute(block, config, (schema, value, path) => {
    if (!isKnown(value) || !schema.validators) return;
    for (const v of schema.validators) v.validate(value, path, diags);
  });
}

/**
 * Terraform core lets a configuration set a computed-only attribute and leaves refusing it to
 * the provider (as the SDKs do); unchecked, the value is planned and then contradicted by apply.
 * Unknown counts as set: it will be a value.
 */
function rejectReadOnly(block: BlockSchema, config: Value, diags: Diagnostics): void {
  forEachAttribute(block, config, (schema, value, path) => {
    if (!schema.computed || schema.optional || schema.required || isNull(value)) return;
    diags.error(
      "Invalid configuration for read-only attribute",
      `${formatPath(path)} is set by the provider and cannot be configured. Remove this argument from the configuration.`,
      path,
    );
  });
}
