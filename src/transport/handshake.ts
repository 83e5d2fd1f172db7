/**
 * The go-plugin handshake, plugin side: the magic cookie that proves Terraform started us,
 * the protocol version both sides speak, and the one line on stdout that tells Terraform
 * where to connect.
 */
export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const CORE_PROTOCOL_VERSION = 1;
export const APP_PROTOCOL_VERSION = 6;

export class HandshakeError extends Error {
  override readonly name = "HandshakeError";
}

export function checkMagicCookie(env: NodeJS.ProcessEnv): void {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    throw new HandshakeError(
      "This binary is a plugin. These are not meant to be executed directly.\n" +
        "Please execute the program that consumes these plugins, which will\n" +
        "load any plugins automatically.\n\n" +
        "This is a Terraform provider: Terraform starts it when it needs it.\n" +
        "To run it by hand for debugging, start it with --debug.",
    );
  }
}

/** Picks protocol 6 from Terraform's offer; the offer is an unordered comma-separated set. */
export function negotiateProtocolVersion(env: NodeJS.ProcessEnv): number {
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? "")
    .split(",")
    .map((v) => Number.parseInt(v.trim(), 10))
    .filter((v) => Number.isInteger(v));
  // An absent list means an old host that assumes the plugin's default version.
  if (offered.length === 0 || offered.includes(APP_PROTOCOL_VERSION)) return APP_PROTOCOL_VERSION;
  throw new HandshakeError(
    `This provider speaks plugin protocol ${APP_PROTOCOL_VERSION} only, but Terraform offered ` + `${offered.join(", ")}. Use Terraform v1.0 or later.`,
  );
}

export interface ListenAddress {
  network: "unix" | "tcp";
  address: string;
}

/** `1|6|unix|/path|grpc|<base64 DER certificate without padding>` */
export function handshakeLine(listen: ListenAddress, protocolVersion: number, serverCertBase64 = ""): string {
  if (/[=\s]/.test(serverCertBase64)) throw new HandshakeError("certificate must be unpadded base64");
  return `${[CORE_PROTOCOL_VERSION, protocolVersion, listen.network, listen.address, "grpc", serverCertBase64].join("|")}\n`;
}

/** The line `terraform` reads in debug mode to attach to an already running provider. */
export function reattachLine(providerAddress: string, listen: ListenAddress, pid: number): string {
  const config = {
    [providerAddress]: {
      Protocol: "grpc",
      ProtocolVersion: APP_PROTOCOL_VERSION,
      Pid: pid,
      // Terraform 1.11 crashes on reattach unless Test is true.
      Test: true,
      Addr: { Network: listen.network, String: listen.address },
    },
  };
  return `TF_REATTACH_PROVIDERS='${JSON.stringify(config)}'`;
}
