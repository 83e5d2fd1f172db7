/**
 * Serves a ProviderServer over gRPC as `tfplugin6.Provider`. Whatever a handler throws becomes
 * an error diagnostic in the response: Terraform shows it, and the process keeps serving.
 */
import type { CallContext, GrpcServer, UnaryHandler } from "../transport/grpc-server.ts";
import type { Logger } from "../logging/logger.ts";
import type { ProviderServer } from "./provider-server.ts";
import { PROVIDER_RPCS } from "./provider-server.ts";

/** The tfplugin6 handlers by RPC name, as the gRPC server calls them. */
export function providerHandlers(impl: ProviderServer, logger: Logger): Record<string, UnaryHandler> {
  const handlers: Record<string, UnaryHandler> = {};
  for (const [rpc, method] of Object.entries(PROVIDER_RPCS)) {
    handlers[rpc] = async (request: { type_name?: string }, call: CallContext) => {
      const started = performance.now();
      const log = logger.enabled("debug") ? logger.with({ tf_rpc: rpc, ...(request.type_name ? { tf_resource_type: request.type_name } : {}) }) : logger;
      log.trace("received request");
      try {
        // The call's signal follows the client: its cancel and its deadline.
        const response = await (impl[method] as (r: object, c: CallContext) => Promise<object>).call(impl, request, call);
        log.debug("served request", { tf_req_duration_ms: Math.round(performance.now() - started) });
        return response;
      } catch (err) {
        log.error("request failed", { error: err instanceof Error ? err.message : String(err) });
        return failureResponse(rpc, err);
      }
    };
  }
  return handlers;
}

export function registerProviderService(server: GrpcServer, impl: ProviderServer, logger: Logger): void {
  server.addService("tfplugin6.Provider", providerHandlers(impl, logger));
}

function failureResponse(rpc: string, err: unknown): object {
  const message = err instanceof Error ? err.message : String(err);
  if (rpc === "StopProvider") return { Error: message };
  if (rpc === "CallFunction") return { error: { text: message } };
  return {
    diagnostics: [
      {
        severity: "ERROR",
        summary: `Provider error in ${rpc}`,
        detail: `${message}\n\nThis is a bug in the provider, or a request it could not understand; please report it with the steps that led here.`,
      },
    ],
  };
}
