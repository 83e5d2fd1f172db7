/**
 * The side services go-plugin's host talks to besides the provider itself: the controller
 * (Shutdown), stdio streaming, the connection broker and gRPC health.
 */
import type { Server, ServerUnaryCall, ServerWritableStream, ServerDuplexStream, sendUnaryData, UntypedServiceImplementation } from "@grpc/grpc-js";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { serviceDefinition } from "./service-definitions.ts";
import type { Logger } from "./logger.ts";

export interface GoPluginServiceOptions {
  logger: Logger;
  /** Called after the Shutdown reply has been handed to gRPC. */
  onShutdown: () => void;
}

export function registerGoPluginServices(server: Server, options: GoPluginServiceOptions): void {
  const controller: UntypedServiceImplementation = {
    Shutdown(_call: ServerUnaryCall<object, object>, callback: sendUnaryData<object>) {
      options.logger.debug("received Shutdown from Terraform");
      callback(null, {});
      options.onShutdown();
    },
  };

  const stdio: UntypedServiceImplementation = {
    // Nothing is ever written to this stream: logs go to stderr directly. Holding it open keeps
    // go-plugin from logging an early EOF.
    StreamStdio(call: ServerWritableStream<object, object>) {
      call.on("cancelled", () => call.end());
    },
  };

  const broker: UntypedServiceImplementation = {
    StartStream(call: ServerDuplexStream<object, object>) {
      call.on("data", () => {
        // This provider starts no brokered connections, so knocks are not answered.
      });
      call.on("end", () => call.end());
      call.on("cancelled", () => call.end());
    },
  };

  const serving = (service: string | null | undefined) => service === "" || service === "plugin" || service == null;
  const health: UntypedServiceImplementation = {
    Check(call: ServerUnaryCall<{ service?: string }, object>, callback: sendUnaryData<object>) {
      if (serving(call.request.service)) callback(null, { status: "SERVING" });
      else callback({ code: GrpcStatus.NOT_FOUND, details: `unknown service ${call.request.service}` });
    },
    Watch(call: ServerWritableStream<{ service?: string }, object>) {
      call.write({ status: serving(call.request.service) ? "SERVING" : "SERVICE_UNKNOWN" });
      call.on("cancelled", () => call.end());
    },
  };

  server.addService(serviceDefinition("plugin.GRPCController"), controller);
  server.addService(serviceDefinition("plugin.GRPCStdio"), stdio);
  server.addService(serviceDefinition("plugin.GRPCBroker"), broker);
  server.addService(serviceDefinition("grpc.health.v1.Health"), health);
}
