// The built executable, started exactly as Terraform starts it: handshake, AutoMTLS, the
// go-plugin side services, signals, parent death and debug mode.
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { X509Certificate } from "node:crypto";
import * as http2 from "node:http2";
import * as tls from "node:tls";
import * as grpc from "@grpc/grpc-js";
import { afterAll, describe, expect, it } from "vitest";
import { createSelfSignedCertificate } from "../../src/transport/self-signed-certificate.ts";
import { providerBinary, REPO_ROOT } from "../support/dist.ts";
import { OFFICIAL_PROVIDER_ADDRESS, OWN_PROVIDER_ADDRESS } from "../../src/provider-address.ts";
import {
  derBase64ToPem,
  killAllStarted,
  makeClient,
  processGone,
  sleep,
  startPlugin,
  terminate,
  terraformEnv,
  track,
  unary,
  waitForOutput,
  type PluginProcess,
  type ServiceClient,
} from "../support/plugin-process.ts";

afterAll(killAllStarted);

interface SchemaResponse {
  provider?: { block?: { attributes?: { name: string }[] } };
  resource_schemas?: Record<string, unknown>;
  diagnostics?: unknown[];
}

async function withPlugin<T>(fn: (p: PluginProcess) => Promise<T>, options: Parameters<typeof startPlugin>[0] = {}): Promise<T> {
  const p = await startPlugin(options);
  try {
    return await fn(p);
  } finally {
    await p.stop();
  }
}

/** Runs the binary to completion (for start-ups that must fail). */
function runToExit(env: NodeJS.ProcessEnv, args: string[] = []) {
  const child = spawn(providerBinary(), args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const { output, exited } = track(child);
  return exited.then((e) => ({ ...e, ...output }));
}

describe("handshake over AutoMTLS", () => {
  it("prints exactly one go-plugin line naming a private unix socket and an unpadded DER certificate", async () => {
    await withPlugin(async (p) => {
      const h = p.handshake;
      expect(p.output.stdout).toBe(h.raw);
      expect(p.output.stdout.split("\n")).toEqual([h.raw.trimEnd(), ""]);
      expect([h.coreVersion, h.protocolVersion, h.network, h.protocol]).toEqual(["1", "6", "unix", "grpc"]);
      // Standard alphabet, no padding, long enough for go-plugin to read it (> 50 characters).
      expect(h.cert).toMatch(/^[A-Za-z0-9+/]+$/);
      expect(h.cert.length).toBeGreaterThan(50);
      const cert = new X509Certificate(derBase64ToPem(h.cert));
      expect(cert.checkHost("localhost")).toBe("localhost");
      expect(cert.fingerprint256).not.toBe(new X509Certificate(p.clientCert!.certPem).fingerprint256);

      expect(existsSync(h.address)).toBe(true);
      expect(statSync(dirname(h.address)).mode & 0o777).toBe(0o700);
      expect(statSync(h.address).isSocket()).toBe(true);
    });
  });

  it("serves tfplugin6.Provider to a client holding Terraform's certificate", async () => {
    await withPlugin(async (p) => {
      const provider = p.client("tfplugin6.Provider");
      const schema = await unary<SchemaResponse>(provider, "GetProviderSchema", {});
      expect(Object.keys(schema.resource_schemas ?? {}).sort()).toEqual(["aws_iam_service_specific_credential", "aws_iam_user"]);
      expect(schema.provider?.block?.attributes?.map((a) => a.name)).toContain("region");
      expect(schema.diagnostics).toEqual([]);

      const metadata = await unary<{ resources: { type_name: string }[] }>(provider, "GetMetadata", {});
      expect(metadata.resources.map((r) => r.type_name).sort()).toEqual(["aws_iam_service_specific_credential", "aws_iam_user"]);

      const health = p.client("grpc.health.v1.Health");
      expect(await unary(health, "Check", { service: "plugin" })).toEqual({ status: "SERVING" });
    });
  });

  it("loads HTTP/2 and TLS only once Terraform connects, not before the handshake line", async () => {
    const hook = join(REPO_ROOT, "test", "support", "builtins-at-handshake.cjs");
    await withPlugin(
      async (p) => {
        await waitForOutput(p.output, p.exited, (o) => o.stderr.includes("builtins-at-handshake "), 5_000, "the hook's report");
        const line = p.output.stderr.split("\n").find((l) => l.startsWith("builtins-at-handshake "))!;
        const builtins: string[] = JSON.parse(line.slice("builtins-at-handshake ".length));
        expect(builtins).toContain("net");
        expect(builtins).toContain("crypto"); // the certificate is in the line itself
        expect(builtins.filter((m) => m === "http2" || m === "tls" || m.startsWith("internal/http2/"))).toEqual([]);
        // The first connection brings them in, over mTLS, with the pinned client check.
        const schema = await unary<SchemaResponse>(p.client("tfplugin6.Provider"), "GetProviderSchema", {});
        expect(Object.keys(schema.resource_schemas ?? {})).toContain("aws_iam_service_specific_credential");
      },
      { env: { NODE_OPTIONS: `--require ${hook}` } },
    );
  });

  it("refuses a client that presents a different certificate", async () => {
    await withPlugin(async (p) => {
      const stranger = createSelfSignedCertificate();
      const creds = grpc.credentials.createSsl(Buffer.from(derBase64ToPem(p.handshake.cert)), Buffer.from(stranger.keyPem), Buffer.from(stranger.certPem));
      const intruder = makeClient("tfplugin6.Provider", p.target, creds);
      try {
        await expect(unary(intruder, "GetProviderSchema", {}, 3000)).rejects.toMatchObject({ code: expect.any(Number) });
      } finally {
        intruder.close();
      }
      // The rightful client still gets through.
      await expect(unary(p.client("grpc.health.v1.Health"), "Check", { service: "plugin" })).resolves.toEqual({ status: "SERVING" });
    });
  });

  it("refuses a client that presents no certificate, and a plaintext client", async () => {
    await withPlugin(async (p) => {
      const noCert = makeClient("tfplugin6.Provider", p.target, grpc.credentials.createSsl(Buffer.from(derBase64ToPem(p.handshake.cert))));
      const plain = makeClient("tfplugin6.Provider", p.target, grpc.credentials.createInsecure());
      try {
        await expect(unary(noCert, "GetProviderSchema", {}, 3000)).rejects.toMatchObject({ code: expect.any(Number) });
        await expect(unary(plain, "GetProviderSchema", {}, 3000)).rejects.toMatchObject({ code: expect.any(Number) });
      } finally {
        noCert.close();
        plain.close();
      }
    });
  });

  it("exits within 200 ms of answering GRPCController/Shutdown and removes its socket directory", async () => {
    const p = await startPlugin();
    try {
      const socketDir = dirname(p.handshake.address);
      await unary(p.client("tfplugin6.Provider"), "GetProviderSchema", {});
      const replied = await unary(p.client("plugin.GRPCController"), "Shutdown", {}).then(() => performance.now());
      const exit = await Promise.race([p.exited, sleep(2000).then(() => undefined)]);
      expect(exit, "process still running 2 s after Shutdown").toBeDefined();
      console.log(`Shutdown reply → exit: ${(exit!.at - replied).toFixed(1)} ms`);
      expect(exit!.at - replied).toBeLessThan(200);
      expect(exit!.code).toBe(0);
      expect(existsSync(socketDir)).toBe(false);
    } finally {
      await p.stop();
    }
  });

  it("exits 0 without a panic when Terraform drops the connection with its streams open, as it does after Shutdown", async () => {
    for (const order of ["drop-then-shutdown", "shutdown-then-drop"] as const) {
      const p = await startPlugin();
      try {
        // A bare HTTP/2 client, so the connection can be cut the way grpc-go's Close cuts it.
        let socket: tls.TLSSocket | undefined;
        const session = http2.connect(`https://localhost`, {
          createConnection: () =>
            (socket = tls.connect({
              path: p.handshake.address,
              ca: derBase64ToPem(p.handshake.cert),
              cert: p.clientCert!.certPem,
              key: p.clientCert!.keyPem,
              servername: "localhost",
              ALPNProtocols: ["h2"],
            })),
        });
        session.on("error", () => {});
        const open = (path: string) => {
          const s = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" });
          s.on("error", () => {});
          return s;
        };
        const stdio = open("/plugin.GRPCStdio/StreamStdio");
        stdio.end(Buffer.from([0, 0, 0, 0, 0]));
        const broker = open("/plugin.GRPCBroker/StartStream");
        broker.write(Buffer.from([0, 0, 0, 0, 0]));
        // Both calls are open on the server once it has answered another call after them.
        await unary(p.client("grpc.health.v1.Health"), "Check", {});
        if (order === "drop-then-shutdown") {
          socket!.destroy();
          await sleep(50);
          await unary(p.client("plugin.GRPCController"), "Shutdown", {});
        } else {
          await unary(p.client("plugin.GRPCController"), "Shutdown", {});
          socket!.destroy();
        }
        const exit = await Promise.race([p.exited, sleep(2000).then(() => undefined)]);
        expect(exit?.code, `${order}: stderr ${p.output.stderr}`).toBe(0);
        expect(p.output.stderr).not.toMatch(/panic:/);
      } finally {
        await p.stop();
      }
    }
  });

  it("keeps the stdio stream open without sending anything", async () => {
    await withPlugin(async (p) => {
      const stdio = p.client("plugin.GRPCStdio");
      const stream = (stdio.StreamStdio as (req: object) => grpc.ClientReadableStream<unknown>)({});
      const received: unknown[] = [];
      let ended = false;
      stream.on("data", (d) => received.push(d));
      stream.on("end", () => (ended = true));
      stream.on("error", () => {});
      await sleep(150);
      expect(received).toEqual([]);
      expect(ended).toBe(false);
      stream.cancel();
    });
  });
});

describe("start-up refusals", () => {
  it("without the magic cookie: a human message on stderr, nothing on stdout, exit code 1", async () => {
    const r = await runToExit(terraformEnv(createSelfSignedCertificate().certPem, { TF_PLUGIN_MAGIC_COOKIE: undefined }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/This binary is a plugin/);
    expect(r.stderr).not.toMatch(/^\s*at /m); // a message, not a stack trace
  });

  it("with a wrong cookie value: the same refusal", async () => {
    const r = await runToExit(terraformEnv(undefined, { TF_PLUGIN_MAGIC_COOKIE: "not-the-cookie" }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/This binary is a plugin/);
  });

  it("when Terraform offers only protocol 5: a clear error and a failing exit", async () => {
    const r = await runToExit(terraformEnv(createSelfSignedCertificate().certPem, { PLUGIN_PROTOCOL_VERSIONS: "5" }));
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/protocol 6/);
    expect(r.stderr).toMatch(/5/);
  });

  it("accepts the offer in any order", async () => {
    await withPlugin(async (p) => expect(p.handshake.protocolVersion).toBe("6"), { env: { PLUGIN_PROTOCOL_VERSIONS: "5,6" } });
  });
});

describe("plaintext without PLUGIN_CLIENT_CERT", () => {
  it("leaves the certificate field empty and serves a plaintext client", async () => {
    await withPlugin(
      async (p) => {
        expect(p.handshake.raw).toMatch(/^1\|6\|unix\|[^|]+\|grpc\|\n$/);
        expect(p.handshake.cert).toBe("");
        const schema = await unary<SchemaResponse>(p.client("tfplugin6.Provider", grpc.credentials.createInsecure()), "GetProviderSchema", {});
        expect(Object.keys(schema.resource_schemas ?? {})).toContain("aws_iam_service_specific_credential");
      },
      { tls: false },
    );
  });
});

describe("signals and parent death", () => {
  it("ignores SIGINT (Terraform answers Ctrl-C with StopProvider) and exits on SIGTERM", async () => {
    const p = await startPlugin();
    try {
      const socketDir = dirname(p.handshake.address);
      const health = p.client("grpc.health.v1.Health");
      await unary(health, "Check", { service: "plugin" });
      p.child.kill("SIGINT");
      await sleep(300);
      expect(p.child.exitCode).toBeNull();
      expect(p.child.signalCode).toBeNull();
      await expect(unary(health, "Check", { service: "plugin" })).resolves.toEqual({ status: "SERVING" });
      // StopProvider cancels work but must not end the process either.
      await expect(unary(p.client("tfplugin6.Provider"), "StopProvider", {})).resolves.toEqual({ Error: "" });
      await sleep(50);
      expect(p.child.exitCode).toBeNull();

      p.child.kill("SIGTERM");
      const exit = await Promise.race([p.exited, sleep(2000).then(() => undefined)]);
      expect(exit, "still running 2 s after SIGTERM").toBeDefined();
      expect(existsSync(socketDir)).toBe(false);
    } finally {
      await p.stop();
    }
  });

  it("exits when its parent process is killed", async () => {
    // An intermediate shell plays Terraform: it starts the provider and is then SIGKILLed.
    const script = `"$PROVIDER" & echo "pid:$!"; wait`;
    const env = { ...terraformEnv(createSelfSignedCertificate().certPem), PROVIDER: providerBinary() };
    const shell = spawn("/bin/sh", ["-c", script], { env, stdio: ["ignore", "pipe", "pipe"] });
    const { output, exited } = track(shell);
    await waitForOutput(output, exited, (o) => /pid:\d+\n/.test(o.stdout) && /\|grpc\|/.test(o.stdout), 10_000, "the provider's handshake");
    const pid = Number(/pid:(\d+)/.exec(output.stdout)![1]);
    expect(processGone(pid)).toBe(false);
    try {
      shell.kill("SIGKILL");
      await exited;
      const deadline = performance.now() + 2500;
      while (!processGone(pid) && performance.now() < deadline) await sleep(25);
      expect(processGone(pid), `provider ${pid} still alive 2.5 s after its parent died`).toBe(true);
    } finally {
      if (!processGone(pid)) process.kill(pid, "SIGKILL");
    }
  });
});

describe("debug mode", () => {
  it.each([
    ["the provider's own address by default", [], OWN_PROVIDER_ADDRESS],
    ["the address given with --address", ["--address", OFFICIAL_PROVIDER_ADDRESS], OFFICIAL_PROVIDER_ADDRESS],
  ])("prints TF_REATTACH_PROVIDERS for a plaintext server that Terraform can attach to, under %s", async (_name, extra, address) => {
    const child = spawn(providerBinary(), ["--debug", ...extra], {
      env: terraformEnv(undefined, { TF_PLUGIN_MAGIC_COOKIE: undefined }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const { output, exited } = track(child);
    let client: ServiceClient | undefined;
    try {
      await waitForOutput(output, exited, (o) => /TF_REATTACH_PROVIDERS='[^\n]*'/.test(o.stdout), 10_000, "the reattach line");
      const json = /TF_REATTACH_PROVIDERS='([^'\n]*)'/.exec(output.stdout)![1]!;
      const config = JSON.parse(json) as Record<
        string,
        { Protocol: string; ProtocolVersion: number; Pid: number; Test: boolean; Addr: { Network: string; String: string } }
      >;
      expect(Object.keys(config)).toEqual([address]);
      const entry = config[address]!;
      expect(entry).toMatchObject({ Protocol: "grpc", ProtocolVersion: 6, Test: true, Addr: { Network: "unix" } });
      // The launcher execs node, so the pid Terraform is told about is the server itself.
      expect(entry.Pid).toBe(child.pid);
      expect(existsSync(entry.Addr.String)).toBe(true);

      client = makeClient("tfplugin6.Provider", `unix://${entry.Addr.String}`, grpc.credentials.createInsecure());
      const schema = await unary<SchemaResponse>(client, "GetProviderSchema", {});
      expect(Object.keys(schema.resource_schemas ?? {})).toContain("aws_iam_service_specific_credential");
    } finally {
      client?.close();
      await terminate(child);
    }
  });
});

describe("logs on stderr", () => {
  it("writes nothing to stderr when TF_LOG is unset", async () => {
    await withPlugin(async (p) => {
      await unary(p.client("tfplugin6.Provider"), "GetProviderSchema", {});
      await unary(p.client("tfplugin6.Provider"), "ValidateResourceConfig", { type_name: "nope" });
      await sleep(50);
      expect(p.output.stderr).toBe("");
    });
  });

  it("writes go-hclog JSON lines with six-digit timestamps when TF_LOG_PROVIDER=debug", async () => {
    await withPlugin(
      async (p) => {
        await unary(p.client("tfplugin6.Provider"), "GetProviderSchema", {});
        await sleep(50);
        const lines = p.output.stderr.split("\n").filter((l) => l !== "");
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) {
          const entry = JSON.parse(line) as Record<string, unknown>;
          expect(["trace", "debug", "info", "warn", "error"]).toContain(entry["@level"]);
          expect(typeof entry["@message"]).toBe("string");
          expect(typeof entry["@module"]).toBe("string");
          expect(entry["@timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        }
        expect(lines.some((l) => l.includes("GetProviderSchema"))).toBe(true);
        expect(p.output.stdout).toBe(p.handshake.raw);
      },
      { env: { TF_LOG_PROVIDER: "debug" } },
    );
  });
});
