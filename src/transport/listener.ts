/**
 * Where the plugin listens: a unix socket inside a fresh directory only this user can enter
 * (so no other local user can reach the provider), or 127.0.0.1 when sockets are unavailable.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ListenAddress } from "./handshake.ts";

export interface Listener extends ListenAddress {
  /** Removes the socket's directory; safe to call more than once. */
  cleanup(): void;
}

export function createListener(env: NodeJS.ProcessEnv): Listener {
  if (process.platform === "win32") {
    return { network: "tcp", address: "127.0.0.1:0", cleanup() {} };
  }
  const base = env.PLUGIN_UNIX_SOCKET_DIR || tmpdir();
  const dir = mkdtempSync(join(base, "plugin"));
  chmodSync(dir, 0o700);
  const path = join(dir, "provider.sock");
  let removed = false;
  return {
    network: "unix",
    address: path,
    cleanup() {
      if (removed) return;
      removed = true;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** After binding to port 0, the handshake must name the port the kernel chose. */
export function boundAddress(listener: Listener, port: number): ListenAddress {
  if (listener.network === "tcp") return { network: "tcp", address: `127.0.0.1:${port}` };
  return { network: listener.network, address: listener.address };
}
