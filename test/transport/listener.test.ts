// Issue 6, "nobody let in": where the plugin listens. The certificate side (a client without
// Terraform's certificate, or with another one, is refused) and the socket directory's mode
// are tested against the built binary in plugin-process.test.ts; this file adds that another
// local user really cannot reach the socket, and that TCP, where it is used, is bound to
// 127.0.0.1 only.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { GrpcServer } from "../../src/transport/grpc-server.ts";
import { afterAll, describe, expect, it } from "vitest";
import { boundAddress, createListener } from "../../src/transport/listener.ts";
import { killAllStarted, startPlugin, track } from "../support/plugin-process.ts";

afterAll(killAllStarted);

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

describe("unix socket", () => {
  it("lives in a fresh directory only its owner can enter, even under a permissive umask, and is removed on cleanup", () => {
    const base = mkdtempSync(join(tmpdir(), "listener-test-"));
    const umask = process.umask(0);
    try {
      const listener = createListener({ PLUGIN_UNIX_SOCKET_DIR: base });
      expect(listener.network).toBe("unix");
      expect(dirname(dirname(listener.address))).toBe(base);
      expect(statSync(dirname(listener.address)).mode & 0o777).toBe(0o700);
      listener.cleanup();
      expect(() => statSync(dirname(listener.address))).toThrow();
    } finally {
      process.umask(umask);
      rmSync(base, { recursive: true, force: true });
    }
  });

  it.skipIf(!isRoot)("another local user cannot connect to the running provider's socket", async () => {
    // Under umask 0 the socket file itself is world-writable: only the directory keeps others out.
    const umask = process.umask(0);
    let plugin: Awaited<ReturnType<typeof startPlugin>>;
    try {
      plugin = await startPlugin();
    } finally {
      process.umask(umask);
    }
    try {
      expect(statSync(plugin.handshake.address).mode & 0o777).toBe(0o777);
      // As "nobody": the directory's mode stops the connect before the socket is reached.
      const probe = `require("net").connect(${JSON.stringify(plugin.handshake.address)}).on("connect", () => { console.log("CONNECTED"); process.exit(0); }).on("error", (e) => { console.log(e.code); process.exit(0); });`;
      const child = spawn(process.execPath, ["-e", probe], { uid: 65534, gid: 65534, stdio: ["ignore", "pipe", "pipe"] });
      const { output, exited } = track(child);
      await exited;
      expect(output.stdout.trim()).toBe("EACCES");
      // The owner still can.
      const health = plugin.client("grpc.health.v1.Health");
      await new Promise<void>((resolve, reject) =>
        (health.Check as (r: object, cb: (e: Error | null) => void) => void)({ service: "plugin" }, (e) => (e ? reject(e) : resolve())),
      );
    } finally {
      await plugin.stop();
    }
  });
});

describe("TCP, where unix sockets are unavailable", () => {
  it("binds 127.0.0.1 only and announces that address", async () => {
    const real = Object.getOwnPropertyDescriptor(process, "platform")!;
    Object.defineProperty(process, "platform", { value: "win32" });
    let listener: ReturnType<typeof createListener>;
    try {
      listener = createListener({});
    } finally {
      Object.defineProperty(process, "platform", real);
    }
    expect(listener.network).toBe("tcp");
    expect(listener.address).toBe("127.0.0.1:0");

    const server = new GrpcServer(1024);
    try {
      const port = await server.listen({ port: 0 });
      expect(boundAddress(listener, port)).toEqual({ network: "tcp", address: `127.0.0.1:${port}` });
      // The kernel's view: every listening socket on that port is on 127.0.0.1 (0100007F), none on 0.0.0.0 or ::.
      const hex = port.toString(16).toUpperCase().padStart(4, "0");
      const listening = ["/proc/net/tcp", "/proc/net/tcp6"]
        .flatMap((f) => {
          try {
            return readFileSync(f, "utf8").split("\n").slice(1);
          } catch {
            return [];
          }
        })
        .map((line) => line.trim().split(/\s+/))
        .filter((cols) => cols[1]?.endsWith(`:${hex}`) && cols[3] === "0A")
        .map((cols) => cols[1]!.split(":")[0]);
      expect(listening).toEqual(["0100007F"]);
    } finally {
      server.close();
    }
  });
});
