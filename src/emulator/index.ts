/**
 * Public entry point: start an IAM/STS emulator on 127.0.0.1 for tests or the CLI.
 */
import type { AddressInfo } from "node:net";
import { EmulatorCore } from "./emulator-core.ts";
import type { EmulatorStateSnapshot } from "./iam-state.ts";
import { profileByName, type ProfileName } from "./profiles.ts";
import { createEmulatorServer, type EmulatorTls } from "./server.ts";

export { ROOT_ACCESS_KEY_ID, ROOT_SECRET_ACCESS_KEY } from "./auth.ts";
export type { FaultSpec, FaultView } from "./faults.ts";
export type { EmulatorCredentialSnapshot, EmulatorStateSnapshot, EmulatorUserSnapshot, CredentialStatus } from "./iam-state.ts";
export type { ProfileName } from "./profiles.ts";
export { MAX_BODY_BYTES } from "./server.ts";
export type { EmulatorTls } from "./server.ts";

export const DEFAULT_ACCOUNT_ID = "123456789012";

export interface EmulatorOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  profile?: ProfileName;
  accountId?: string;
  /** Only known keys, with verified SigV4 signatures, are accepted. */
  strictAuth?: boolean;
  /** Serve HTTPS with this certificate (its names should include 127.0.0.1). */
  tls?: EmulatorTls;
}

export interface Emulator {
  url: string;
  port: number;
  state(): EmulatorStateSnapshot;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const profile = profileByName(options.profile ?? "aws");
  if (!profile) throw new Error(`unknown emulator profile "${options.profile}" (expected aws or localstack)`);
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`account id must be 12 digits, got "${accountId}"`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);

  const core = new EmulatorCore(profile, accountId, options.strictAuth ?? false);
  const server = createEmulatorServer(core, options.tls);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${actualPort}`,
    port: actualPort,
    state: () => core.snapshot(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
