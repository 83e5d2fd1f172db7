/**
 * The tfplugin6 provider service as plain async methods over the generated message shapes,
 * in the manner of terraform-plugin-go's ProviderServer: the framework implements it, and
 * provider-service.ts adapts it to gRPC. The method list comes from the proto's service.
 */
import type { ProviderRpcTypes } from "../generated/provider-rpcs.ts";

export { PROVIDER_RPCS } from "../generated/provider-rpcs.ts";

/** What the transport tells a method about its call: aborted on cancel or deadline. */
export interface RpcCall {
  readonly signal: AbortSignal;
}

export type ProviderServer = {
  [M in keyof ProviderRpcTypes]: (req: ProviderRpcTypes[M][0], call?: RpcCall) => Promise<ProviderRpcTypes[M][1]>;
};
