/**
 * Serves a ProviderServer over gRPC as `tfplugin6.Provider`. Whatever a handler throws becomes
 * an error diagnostic in the response: Terraform shows it, and the process keeps serving.
 */
import type { Server, ServerUnaryCall, sendUnaryData, UntypedServiceImplementation } from "@grpc/grpc-js";
import { serviceDefinition } from "../transport/service-definitions.ts";
import type { Logger } from "../transport/logger.ts";
import type { ProviderServer } from "./provider-server.ts";
import { PROVIDER_RPCS } from "./provider-server.ts";

export function registerProviderService(server: Server, impl: ProviderServer, logger: Logger): void {
  const handlers: UntypedServiceImplementation = {};
  for (const [rpc, method] of Object.entries(PROVIDER_RPCS)) {
    handlers[rpc] = (call: ServerUnaryCall<object, object>, callback: sendUnaryData<object>) => {
      const started = performance.now();
      const request = call.request as { type_name?: string };
      const log = logger.enabled("debug") ? logger.with({ tf_rpc: rpc, ...(request.type_name ? { tf_resource_type: request.type_name } : {}) }) : logger;
      log.trace("received request");
      let result: Promise<object>;
      try {
        result = (impl[method] as (r: object) => Promise<object>).call(impl, call.request);
      } catch (err) {
        result = Promise.reject(err);
      }
      result.then(
        (response) => {
          log.debug("served request", { tf_req_duration_ms: Math.round(performance.now() - started) });
          callback(null, response);
        },
        (err: unknown) => {
          log.error("request failed", { error: err instanceof Error ? err.message : String(err) });
          callback(null, failureResponse(rpc, err));
        },
      );
    };
  }
  server.addService(serviceDefinition("tfplugin6.Provider"), handlers);
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
