/**
 * The side services go-plugin's host talks to besides the provider itself: the controller
 * (Shutdown), stdio streaming, the connection broker and gRPC health.
 */
import type { DuplexStream, GrpcServer, ServerStream } from "./grpc-server.ts";
import { GrpcError } from "./grpc-server.ts";
import { Status } from "./grpc-status.ts";
import type { Logger } from "../logging/logger.ts";

export interface GoPluginServiceOptions {
  logger: Logger;
  /** Called once the Shutdown reply has been handed to the server. */
  onShutdown: () => void;
}

export function registerGoPluginServices(server: GrpcServer, options: GoPluginServiceOptions): void {
  server.addService("plugin.GRPCController", {
    Shutdown() {
      options.logger.debug("received Shutdown from Terraform");
      // After the microtask that writes this reply, so the reply goes first.
      setImmediate(options.onShutdown);
      return {};
    },
  });

  server.addService("plugin.GRPCStdio", {
    // Nothing is ever written to this stream: logs go to stderr directly. Holding it open keeps
    // go-plugin from logging an early EOF; it ends when Terraform cancels it.
    StreamStdio() {},
  });

  server.addService("plugin.GRPCBroker", {
    // This provider starts no brokered connections, so knocks are not answered.
    StartStream(stream: DuplexStream) {
      stream.onEnd(() => stream.end());
    },
  });

  const serving = (service: string | null | undefined) => service === "" || service === "plugin" || service == null;
  server.addService("grpc.health.v1.Health", {
    Check(request: { service?: string }) {
      if (serving(request.service)) return { status: "SERVING" };
      throw new GrpcError(Status.NOT_FOUND, `unknown service ${request.service}`);
    },
    Watch(request: { service?: string }, stream: ServerStream) {
      // Stays open until the client cancels, as a health watch does.
      stream.write({ status: serving(request.service) ? "SERVING" : "SERVICE_UNKNOWN" });
    },
  });
}
