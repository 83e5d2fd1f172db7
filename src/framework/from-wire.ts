/**
 * tfplugin6 requests into framework requests, one function per message: values decoded by the
 * schema, private state read. Every wire field may be missing (null, undefined, empty bytes);
 * a missing value is null, and one that does not decode is an error diagnostic, never a throw.
 */
import type * as tf from "../generated/protocol-types.ts";
import { decodeDynamicValue } from "../protocol/dynamic-value.ts";
import { decodeJson } from "../protocol/json-codec.ts";
import type { CtyType } from "../values/cty-type.ts";
import type { Value } from "../values/value.ts";
import { NULL, isKnown } from "../values/value.ts";
import type { Diagnostics } from "./diagnostics.ts";
import type { ReadDataSourceRequest, ValidateDataResourceConfigRequest } from "./data-source-operations.ts";
import { NO_PRIVATE, receivedPrivate } from "./private-state.ts";
import type { ProviderConfigRequest } from "./provider-operations.ts";
import {
  type ApplyResourceChangeRequest,
  type ImportResourceStateRequest,
  type MoveResourceStateRequest,
  type PlanResourceChangeRequest,
  type ReadResourceRequest,
  type UpgradeResourceStateRequest,
  type ValidateResourceConfigRequest,
  moveSourceName,
} from "./resource-operations.ts";
import { type BlockSchema, type Schema, blockType } from "./schema.ts";

export function validateProviderConfigRequestFromWire(req: tf.ValidateProviderConfig_Request, schema: BlockSchema, diags: Diagnostics): ProviderConfigRequest {
  return { config: decode(req.config, blockType(schema), diags, "provider configuration") };
}

export function configureProviderRequestFromWire(req: tf.ConfigureProvider_Request, schema: BlockSchema, diags: Diagnostics): ProviderConfigRequest {
  return { config: decode(req.config, blockType(schema), diags, "provider configuration") };
}

export function validateResourceConfigRequestFromWire(
  req: tf.ValidateResourceConfig_Request,
  schema: Schema,
  diags: Diagnostics,
): ValidateResourceConfigRequest {
  return { config: decode(req.config, blockType(schema.block), diags, "configuration") };
}

/**
 * The stored JSON read with the current schema: attributes an older schema had are dropped and
 * numbers stay exact. State of a newer schema version is left unread (null), for the operation
 * to refuse; so is state in the flatmap format of Terraform 0.11, with an error.
 */
export function upgradeResourceStateRequestFromWire(req: tf.UpgradeResourceState_Request, schema: Schema, diags: Diagnostics): UpgradeResourceStateRequest {
  const version = Number(req.version ?? 0);
  if (version > schema.version) return { version, state: NULL };
  let state: Value = NULL;
  const json = req.raw_state?.json;
  if (json && json.length > 0) {
    try {
      state = decodeJson(json, blockType(schema.block), { ignoreUndefinedAttributes: true });
    } catch (err) {
      diags.error("Unreadable stored state", `The stored state of this ${req.type_name} could not be read: ${message(err)}`);
    }
  } else if (req.raw_state?.flatmap && Object.keys(req.raw_state.flatmap).length > 0) {
    diags.error("Unsupported state format", "This state was written by Terraform 0.11 or earlier, which this provider cannot read.");
  }
  return { version, state };
}

export function readResourceRequestFromWire(req: tf.ReadResource_Request, schema: Schema, diags: Diagnostics): ReadResourceRequest {
  return { currentState: decode(req.current_state, blockType(schema.block), diags, "current state"), private: receivedPrivate(req.private) };
}

export function planResourceChangeRequestFromWire(req: tf.PlanResourceChange_Request, schema: Schema, diags: Diagnostics): PlanResourceChangeRequest {
  const type = blockType(schema.block);
  return {
    priorState: decode(req.prior_state, type, diags, "prior state"),
    proposedNewState: decode(req.proposed_new_state, type, diags, "proposed state"),
    config: decode(req.config, type, diags, "configuration"),
    priorPrivate: receivedPrivate(req.prior_private),
  };
}

export function applyResourceChangeRequestFromWire(req: tf.ApplyResourceChange_Request, schema: Schema, diags: Diagnostics): ApplyResourceChangeRequest {
  const type = blockType(schema.block);
  return {
    priorState: decode(req.prior_state, type, diags, "prior state"),
    plannedState: decode(req.planned_state, type, diags, "planned state"),
    config: decode(req.config, type, diags, "configuration"),
    plannedPrivate: receivedPrivate(req.planned_private),
  };
}

export function importResourceStateRequestFromWire(req: tf.ImportResourceState_Request): ImportResourceStateRequest {
  return { id: req.id ?? "" };
}

/** The source state is decoded when the resource asks for it: only it knows whether the source is one it accepts. */
export function moveResourceStateRequestFromWire(req: tf.MoveResourceState_Request, schema: Schema): MoveResourceStateRequest {
  const raw = req.source_state?.json ?? new Uint8Array();
  const source = moveSourceName(req.source_type_name ?? "", req.source_provider_address ?? "");
  return {
    sourceProviderAddress: req.source_provider_address ?? "",
    sourceTypeName: req.source_type_name ?? "",
    sourceSchemaVersion: Number(req.source_schema_version ?? 0),
    sourceRawState: raw,
    sourcePrivate: req.source_private ?? NO_PRIVATE,
    decodeSourceState: (diags) => {
      if (raw.length === 0) {
        diags.error("No state to move", `Terraform sent no JSON state for ${source}; state written by Terraform 0.11 or earlier cannot be moved.`);
        return undefined;
      }
      try {
        const value = decodeJson(raw, blockType(schema.block), { ignoreUndefinedAttributes: true });
        if (isKnown(value)) return value;
        diags.error("No state to move", `The stored state of ${source} is null.`);
      } catch (err) {
        diags.error("Unreadable source state", `The state of ${source} could not be read as ${req.target_type_name}: ${message(err)}`);
      }
      return undefined;
    },
  };
}

export function validateDataResourceConfigRequestFromWire(
  req: tf.ValidateDataResourceConfig_Request,
  schema: Schema,
  diags: Diagnostics,
): ValidateDataResourceConfigRequest {
  return { config: decode(req.config, blockType(schema.block), diags, "configuration") };
}

export function readDataSourceRequestFromWire(req: tf.ReadDataSource_Request, schema: Schema, diags: Diagnostics): ReadDataSourceRequest {
  return { config: decode(req.config, blockType(schema.block), diags, "configuration") };
}

function decode(dv: tf.DynamicValue | null | undefined, type: CtyType, diags: Diagnostics, what: string): Value {
  try {
    return decodeDynamicValue(dv, type);
  } catch (err) {
    diags.error("Invalid value from Terraform", `The ${what} could not be decoded: ${message(err)}`);
    return NULL;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
