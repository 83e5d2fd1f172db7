// Starts the built provider the way Terraform (go-plugin) does and talks to it with a grpc-js
// client: the magic cookie, the protocol offer, a client certificate for AutoMTLS, then the
// handshake line on stdout and gRPC over the unix socket it names.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { createSelfSignedCertificate, type ServerCertificate } from "../../src/transport/self-signed-certificate.ts";
import { grpcServiceDefinition } from "./grpc-definitions.ts";
import { providerBinary } from "./dist.ts";

/** A client made from a service definition: one method per RPC. */
export type ServiceClient = InstanceType<grpc.ServiceClientConstructor>;

export const MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

export interface Handshake {
  readonly raw: string;
  readonly coreVersion: string;
  readonly protocolVersion: string;
  readonly network: string;
  readonly address: string;
  readonly protocol: string;
  readonly cert: string;
}

export function parseHandshake(line: string): Handshake {
  const fields = line.replace(/\n$/, "").split("|");
  if (fields.length !== 6) throw new Error(`handshake line needs 6 fields: ${JSON.stringify(line)}`);
  const [coreVersion, protocolVersion, network, address, protocol, cert] = fields as [string, string, string, string, string, string];
  return { raw: line, coreVersion, protocolVersion, network, address, protocol, cert };
}

/** The parent's environment without anything that would change how the plugin behaves. */
export function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(TF_|PLUGIN_)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

/** What Terraform adds when it starts a provider. */
export function terraformEnv(clientCertPem: string | undefined, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE,
    PLUGIN_PROTOCOL_VERSIONS: "6,5",
    PLUGIN_MIN_PORT: "10000",
    PLUGIN_MAX_PORT: "25000",
  };
  if (clientCertPem !== undefined) env.PLUGIN_CLIENT_CERT = clientCertPem;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function derBase64ToPem(base64: string): string {
  const der = Buffer.from(base64, "base64");
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the exit event arrived. */
  at: number;
}

export interface Output {
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();

/** Spawns a process, collects its output and remembers it for {@link killAllStarted}. */
export function track(child: ChildProcess): { output: Output; exited: Promise<ExitInfo> } {
  running.add(child);
  const output: Output = { stdout: "", stderr: "" };
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (output.stdout += d));
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (output.stderr += d));
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal, at: performance.now() });
    });
  });
  return { output, exited };
}

/**
 * Ends a process: SIGTERM first, so the provider removes its socket directory, then SIGKILL
 * if it is still there after `graceMs`.
 */
export async function terminate(child: ChildProcess, graceMs = 1000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Ends every process a test started that is still running (afterAll). */
export async function killAllStarted(): Promise<void> {
  const children = [...running];
  running.clear();
  await Promise.all(children.map((c) => terminate(c)));
}

export interface PluginProcess {
  readonly child: ChildProcess;
  readonly output: Output;
  readonly exited: Promise<ExitInfo>;
  readonly handshake: Handshake;
  /** The client certificate given in PLUGIN_CLIENT_CERT; undefined for plaintext. */
  readonly clientCert: ServerCertificate | undefined;
  /** gRPC target for the plugin's address. */
  readonly target: string;
  /** mTLS credentials as Terraform presents them (or insecure for a plaintext plugin). */
  credentials(): grpc.ChannelCredentials;
  client(service: string, credentials?: grpc.ChannelCredentials): ServiceClient;
  /** Closes clients made by `client` and ends the process if it still runs. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Generate a client certificate and pass it as PLUGIN_CLIENT_CERT (default true). */
  tls?: boolean;
  /** Extra variables (undefined deletes one). */
  env?: Record<string, string | undefined>;
  args?: string[];
  timeoutMs?: number;
}

/** Waits until `predicate(output)` holds, the process exits, or the time runs out. */
export function waitForOutput(output: Output, exited: Promise<ExitInfo>, predicate: (o: Output) => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    const poll = setInterval(() => {
      if (predicate(output)) finish();
    }, 5);
    const timer = setTimeout(
      () =>
        finish(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stdout=${JSON.stringify(output.stdout)} stderr=${JSON.stringify(output.stderr)}`),
        ),
      timeoutMs,
    );
    void exited.then((e) => {
      // Give buffered output one more look before reporting the exit.
      setTimeout(() => {
        if (predicate(output)) finish();
        else
          finish(
            new Error(
              `process exited (code ${e.code}, signal ${e.signal}) before ${what}; stdout=${JSON.stringify(output.stdout)} stderr=${JSON.stringify(output.stderr)}`,
            ),
          );
      }, 20);
    });
  });
}

const constructors = new Map<string, grpc.ServiceClientConstructor>();

export function clientConstructor(service: string): grpc.ServiceClientConstructor {
  let ctor = constructors.get(service);
  if (!ctor) {
    ctor = grpc.makeGenericClientConstructor(grpcServiceDefinition(service), service);
    constructors.set(service, ctor);
  }
  return ctor;
}

export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  "grpc.ssl_target_name_override": "localhost",
  "grpc.default_authority": "localhost",
  // A fresh connection per client, so one client's credentials never serve another's calls.
  "grpc.use_local_subchannel_pool": 1,
};

export function makeClient(service: string, target: string, credentials: grpc.ChannelCredentials): ServiceClient {
  const Ctor = clientConstructor(service);
  return new Ctor(target, credentials, CHANNEL_OPTIONS);
}

/** A unary call as a promise, with a deadline so that a refused connection fails fast. */
export function unary<T = Record<string, unknown>>(client: ServiceClient, method: string, request: object, timeoutMs = 5000): Promise<T> {
  const fn = client[method] as
    | ((req: object, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: T) => void) => void)
    | undefined;
  if (typeof fn !== "function") throw new Error(`no method ${method} on this client`);
  return new Promise<T>((resolve, reject) => {
    fn.call(client, request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

export async function startPlugin(options: StartOptions = {}): Promise<PluginProcess> {
  const binary = providerBinary();
  const clientCert = options.tls === false ? undefined : createSelfSignedCertificate();
  const env = terraformEnv(clientCert?.certPem, options.env);
  const child = spawn(binary, options.args ?? [], { env, stdio: ["ignore", "pipe", "pipe"] });
  const { output, exited } = track(child);
  await waitForOutput(output, exited, (o) => o.stdout.includes("\n"), options.timeoutMs ?? 10_000, "the handshake line");
  const handshake = parseHandshake(output.stdout.slice(0, output.stdout.indexOf("\n") + 1));
  const target = handshake.network === "unix" ? `unix://${handshake.address}` : handshake.address;
  const clients: grpc.Client[] = [];
  const credentials = () =>
    clientCert
      ? grpc.credentials.createSsl(Buffer.from(derBase64ToPem(handshake.cert)), Buffer.from(clientCert.keyPem), Buffer.from(clientCert.certPem))
      : grpc.credentials.createInsecure();
  return {
    child,
    output,
    exited,
    handshake,
    clientCert,
    target,
    credentials,
    client(service, creds) {
      const c = makeClient(service, target, creds ?? credentials());
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.close();
      await terminate(child);
    },
  };
}

/** True when the pid no longer names a live process (gone, or a zombie nobody reaped yet). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..." — Z is a zombie.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "Z" || state === "X";
  } catch {
    return true;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
