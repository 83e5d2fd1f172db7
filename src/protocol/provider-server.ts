/**
 * The tfplugin6 provider service as plain async methods over the generated message shapes,
 * in the manner of terraform-plugin-go's ProviderServer: the framework implements it, and
 * provider-service.ts adapts it to gRPC.
 */
import type * as tf from "../generated/protocol-types.ts";

/** What the transport tells a method about its call: aborted on cancel or deadline. */
export interface RpcCall {
  readonly signal: AbortSignal;
}

export interface ProviderServer {
  getMetadata(req: tf.GetMetadata_Request): Promise<tf.GetMetadata_Response>;
  getProviderSchema(req: tf.GetProviderSchema_Request): Promise<tf.GetProviderSchema_Response>;
  validateProviderConfig(req: tf.ValidateProviderConfig_Request): Promise<tf.ValidateProviderConfig_Response>;
  validateResourceConfig(req: tf.ValidateResourceConfig_Request): Promise<tf.ValidateResourceConfig_Response>;
  validateDataResourceConfig(req: tf.ValidateDataResourceConfig_Request): Promise<tf.ValidateDataResourceConfig_Response>;
  upgradeResourceState(req: tf.UpgradeResourceState_Request): Promise<tf.UpgradeResourceState_Response>;
  configureProvider(req: tf.ConfigureProvider_Request, call?: RpcCall): Promise<tf.ConfigureProvider_Response>;
  readResource(req: tf.ReadResource_Request, call?: RpcCall): Promise<tf.ReadResource_Response>;
  planResourceChange(req: tf.PlanResourceChange_Request): Promise<tf.PlanResourceChange_Response>;
  applyResourceChange(req: tf.ApplyResourceChange_Request, call?: RpcCall): Promise<tf.ApplyResourceChange_Response>;
  importResourceState(req: tf.ImportResourceState_Request): Promise<tf.ImportResourceState_Response>;
  moveResourceState(req: tf.MoveResourceState_Request): Promise<tf.MoveResourceState_Response>;
  readDataSource(req: tf.ReadDataSource_Request): Promise<tf.ReadDataSource_Response>;
  validateEphemeralResourceConfig(req: tf.ValidateEphemeralResourceConfig_Request): Promise<tf.ValidateEphemeralResourceConfig_Response>;
  openEphemeralResource(req: tf.OpenEphemeralResource_Request): Promise<tf.OpenEphemeralResource_Response>;
  renewEphemeralResource(req: tf.RenewEphemeralResource_Request): Promise<tf.RenewEphemeralResource_Response>;
  closeEphemeralResource(req: tf.CloseEphemeralResource_Request): Promise<tf.CloseEphemeralResource_Response>;
  getFunctions(req: tf.GetFunctions_Request): Promise<tf.GetFunctions_Response>;
  callFunction(req: tf.CallFunction_Request): Promise<tf.CallFunction_Response>;
  stopProvider(req: tf.StopProvider_Request): Promise<tf.StopProvider_Response>;
}

/** RPC name on the wire → method of ProviderServer. */
export const PROVIDER_RPCS: Readonly<Record<string, keyof ProviderServer>> = {
  GetMetadata: "getMetadata",
  GetProviderSchema: "getProviderSchema",
  ValidateProviderConfig: "validateProviderConfig",
  ValidateResourceConfig: "validateResourceConfig",
  ValidateDataResourceConfig: "validateDataResourceConfig",
  UpgradeResourceState: "upgradeResourceState",
  ConfigureProvider: "configureProvider",
  ReadResource: "readResource",
  PlanResourceChange: "planResourceChange",
  ApplyResourceChange: "applyResourceChange",
  ImportResourceState: "importResourceState",
  MoveResourceState: "moveResourceState",
  ReadDataSource: "readDataSource",
  ValidateEphemeralResourceConfig: "validateEphemeralResourceConfig",
  OpenEphemeralResource: "openEphemeralResource",
  RenewEphemeralResource: "renewEphemeralResource",
  CloseEphemeralResource: "closeEphemeralResource",
  GetFunctions: "getFunctions",
  CallFunction: "callFunction",
  StopProvider: "stopProvider",
};
