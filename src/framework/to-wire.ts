/**
 * Framework responses into tfplugin6 responses, one function per message: values encoded by
 * the object type of their schema, diagnostics and paths in wire form. What a response leaves
 * unset is left out of the message.
 */
import type * as tf from "../generated/protocol-types.ts";
import { encodeDynamicValue } from "../protocol/dynamic-value.ts";
import type { CtyType } from "../values/cty-type.ts";
import type { Value } from "../values/value.ts";
import type { WithDiagnostics } from "./diagnostics.ts";
import type { ReadDataSourceResponse } from "./data-source-operations.ts";
import { NO_PRIVATE } from "./private-state.ts";
import type {
  ApplyResourceChangeResponse,
  ImportResourceStateResponse,
  MoveResourceStateResponse,
  PlanResourceChangeResponse,
  ReadResourceResponse,
  UpgradeResourceStateResponse,
} from "./resource-operations.ts";
import type { BlockSchema, Schema } from "./schema.ts";
import { attributePathToWire, blockToWire, diagnosticsToWire, schemaToWire } from "./wire-schema.ts";

/** Something with a type name and a schema: a resource or a data source. */
interface Typed {
  readonly typeName: string;
  readonly schema: Schema;
}

const capabilities: tf.ServerCapabilities = { plan_destroy: true, get_provider_schema_optional: true, move_resource_state: true };

/** The answer of the validate RPCs and ConfigureProvider, and of any RPC that stops before its values. */
export function diagnosticsResponseToWire(resp: WithDiagnostics): { diagnostics: tf.Diagnostic[] } {
  return { diagnostics: diagnosticsToWire(resp.diagnostics.items) };
}

export function unsupportedResponseToWire(detail: string): { diagnostics: tf.Diagnostic[] } {
  return { diagnostics: [{ severity: "ERROR", summary: "Not supported", detail }] };
}

export function getMetadataResponseToWire(resources: readonly Typed[], dataSources: readonly Typed[]): tf.GetMetadata_Response {
  return {
    server_capabilities: capabilities,
    resources: resources.map((r) => ({ type_name: r.typeName })),
    data_sources: dataSources.map((d) => ({ type_name: d.typeName })),
    functions: [],
    ephemeral_resources: [],
    diagnostics: [],
  };
}

export function getProviderSchemaResponseToWire(
  providerSchema: BlockSchema,
  resources: readonly Typed[],
  dataSources: readonly Typed[],
): tf.GetProviderSchema_Response {
  return {
    provider: { version: 0, block: blockToWire(providerSchema) },
    resource_schemas: Object.fromEntries(resources.map((r) => [r.typeName, schemaToWire(r.schema)])),
    data_source_schemas: Object.fromEntries(dataSources.map((d) => [d.typeName, schemaToWire(d.schema)])),
    functions: {},
    ephemeral_resource_schemas: {},
    server_capabilities: capabilities,
    diagnostics: [],
  };
}

export function upgradeResourceStateResponseToWire(resp: UpgradeResourceStateResponse, type: CtyType): tf.UpgradeResourceState_Response {
  return { upgraded_state: encoded(resp.upgradedState, type), diagnostics: diagnosticsToWire(resp.diagnostics.items) };
}

export function readResourceResponseToWire(resp: ReadResourceResponse, type: CtyType): tf.ReadResource_Response {
  return { new_state: encoded(resp.newState, type), diagnostics: diagnosticsToWire(resp.diagnostics.items), private: resp.private };
}

export function planResourceChangeResponseToWire(resp: PlanResourceChangeResponse, type: CtyType): tf.PlanResourceChange_Response {
  return {
    planned_state: encoded(resp.plannedState, type),
    requires_replace: resp.requiresReplace?.map(attributePathToWire),
    planned_private: resp.plannedPrivate,
    diagnostics: diagnosticsToWire(resp.diagnostics.items),
  };
}

export function applyResourceChangeResponseToWire(resp: ApplyResourceChangeResponse, type: CtyType): tf.ApplyResourceChange_Response {
  return { new_state: encoded(resp.newState, type), private: resp.private, diagnostics: diagnosticsToWire(resp.diagnostics.items) };
}

export function importResourceStateResponseToWire(resp: ImportResourceStateResponse, type: CtyType): tf.ImportResourceState_Response {
  return {
    imported_resources: resp.importedResources?.map((r) => ({ type_name: r.typeName, state: encodeDynamicValue(r.state, type), private: r.private })),
    diagnostics: diagnosticsToWire(resp.diagnostics.items),
  };
}

export function moveResourceStateResponseToWire(resp: MoveResourceStateResponse, type: CtyType): tf.MoveResourceState_Response {
  if (resp.targetState === undefined) return { diagnostics: diagnosticsToWire(resp.diagnostics.items) };
  return {
    target_state: encodeDynamicValue(resp.targetState, type),
    target_private: resp.targetPrivate ?? NO_PRIVATE,
    diagnostics: diagnosticsToWire(resp.diagnostics.items),
  };
}

export function readDataSourceResponseToWire(resp: ReadDataSourceResponse, type: CtyType): tf.ReadDataSource_Response {
  return { state: encoded(resp.state, type), diagnostics: diagnosticsToWire(resp.diagnostics.items) };
}

function encoded(value: Value | undefined, type: CtyType): tf.DynamicValue | undefined {
  return value === undefined ? undefined : encodeDynamicValue(value, type);
}
