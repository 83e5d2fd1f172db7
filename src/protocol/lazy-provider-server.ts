/**
 * A ProviderServer whose implementation is loaded when first needed: the process can print its
 * handshake line before it has compiled and evaluated the framework, the resources and their
 * schemas, and load them while Terraform connects. Every call waits for the one load.
 */
import type { ProviderServer } from "./provider-server.ts";
import { PROVIDER_RPCS } from "./provider-server.ts";

export interface LazyProviderServer {
  readonly server: ProviderServer;
  /** Starts the load now (after the handshake), so the first call finds it done; settles with it. */
  preload(): Promise<void>;
}

export function lazyProviderServer(load: () => Promise<ProviderServer>): LazyProviderServer {
  let loaded: Promise<ProviderServer> | undefined;
  const get = () => (loaded ??= load());
  const server = {} as Record<string, (request: never, call: never) => Promise<unknown>>;
  for (const method of Object.values(PROVIDER_RPCS)) {
    server[method] = (request, call) => get().then((impl) => (impl[method] as (r: never, c: never) => Promise<unknown>).call(impl, request, call));
  }
  return {
    server: server as unknown as ProviderServer,
    preload() {
      // A load that fails fails the first call that needs it, with its message.
      return get().then(
        () => {},
        () => {},
      );
    },
  };
}
