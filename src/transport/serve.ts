/**
 * Starts the plugin the way go-plugin expects: cookie check, protocol negotiation, AutoMTLS,
 * listen, the one handshake line, and the side services. What the provider service does is
 * handed in by the protocol layer through `register`.
 */
import { writeSync } from "node:fs";
import { GrpcServer } from "./grpc-server.ts";
import type { TlsOptions } from "./grpc-server.ts";
import { checkMagicCookie, HandshakeError, handshakeLine, negotiateProtocolVersion, reattachLine } from "./handshake.ts";
import { boundAddress, createListener } from "./listener.ts";
import { registerGoPluginServices } from "./go-plugin-services.ts";
import { exitProcess, installLifecycle } from "./process-lifecycle.ts";
import { createSelfSignedCertificate } from "./self-signed-certificate.ts";
import type { Logger } from "../logging/logger.ts";

export interface ServeOptions {
  /** Registry address Terraform knows the provider by, for the reattach line. */
  providerAddress: string;
  register: (server: GrpcServer) => void;
  logger: Logger;
  debug?: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: (text: string) => void;
  /** Runs when Terraform asks the plugin to stop (before the process exits). */
  onShutdown?: () => void;
}

// Terraform sends whole states and schemas in one message; allow what its client allows.
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
// What all calls together may hold in received messages: one message of the largest size and
// room for small ones beside it. Buffers are outside the heap, so a heap limit would not
// bound them; without this, concurrent large messages each took up to the limit above.
const MAX_BUFFERED_BYTES = MAX_MESSAGE_BYTES + 32 * 1024 * 1024;
// After Shutdown, how long calls still in flight may take; go-plugin kills the process after 2 s.
const SHUTDOWN_GRACE_MS = 1000;

export async function serve(options: ServeOptions): Promise<void> {
  const env = options.env ?? process.env;
  const stdout = options.stdout ?? writeStdout;
  const debug = options.debug ?? false;
  let protocolVersion = 6;
  if (!debug) {
    try {
      checkMagicCookie(env);
      protocolVersion = negotiateProtocolVersion(env);
    } catch (err) {
      if (err instanceof HandshakeError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
      }
      throw err;
    }
  }

  const server = new GrpcServer(MAX_MESSAGE_BYTES, MAX_BUFFERED_BYTES);
  const listener = createListener(env);
  const cleanup = () => {
    void server.close(0);
    listener.cleanup();
  };
  installLifecycle({ cleanup, interactive: debug });

  registerGoPluginServices(server, {
    logger: options.logger,
    onShutdown: () => {
      options.onShutdown?.();
      if (debug) return; // a debug server outlives the Terraform commands attached to it
      // GOAWAY, then exit once the connections are done: the Shutdown reply leaves first.
      void server.close(SHUTDOWN_GRACE_MS).then(() => exitProcess(0, cleanup));
    },
  });
  options.register(server);

  const clientCert = debug ? undefined : env.PLUGIN_CLIENT_CERT;
  let tls: TlsOptions | undefined;
  let certField = "";
  if (clientCert) {
    const cert = createSelfSignedCertificate();
    // A client without Terraform's certificate is refused.
    tls = {
      get keyPem() {
        return cert.keyPem;
      },
      certPem: cert.certPem,
      clientCertPem: clientCert,
    };
    certField = cert.handshakeCert;
  }

  const port = await server.listen(listener.network === "unix" ? { path: listener.address } : { port: 0 }, tls);
  const address = boundAddress(listener, port);
  if (debug) {
    stdout(
      "Provider started in debug mode. To attach Terraform, set this in the shell that runs terraform:\n\n" +
        `\t${reattachLine(options.providerAddress, address, process.pid)}\n\n` +
        "Press Ctrl-C to stop the provider.\n",
    );
  } else {
    stdout(handshakeLine(address, protocolVersion, certField));
  }
  options.logger.debug("plugin server listening", { network: address.network, address: address.address, tls: Boolean(clientCert) });
}

/**
 * Writes to file descriptor 1 itself: creating `process.stdout`, a stream over the pipe, cost
 * ~1.5 ms of every start before the handshake line. The pipe Terraform hands over blocks, so
 * all is written at once; on a descriptor that does not block, what is left goes to the stream.
 */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text);
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(1, bytes, offset);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
    process.stdout.write(bytes.subarray(offset));
  }
}
