/**
 * What the provider-block tests share: an environment without the developer's AWS variables,
 * a working directory that is destroyed afterwards, and a proxy that records what passes.
 */
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { TerraformCommandError, TerraformWorkingDir } from "../harness/index.ts";
import type { TerraformResult } from "../harness/index.ts";

export const CASE_TIMEOUT_MS = 120_000;

/** Every AWS (and proxy) variable a developer's shell might carry, blanked. */
export function cleanEnv(scratch: string, extra: Record<string, string>): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: "",
    AWS_ENDPOINT_URL_IAM: "",
    AWS_ENDPOINT_URL_STS: "",
    AWS_ACCESS_KEY_ID: "",
    AWS_SECRET_ACCESS_KEY: "",
    AWS_SESSION_TOKEN: "",
    AWS_PROFILE: "",
    AWS_REGION: "",
    AWS_DEFAULT_REGION: "",
    AWS_CONFIG_FILE: join(scratch, "no-such-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(scratch, "no-such-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CA_BUNDLE: "",
    AWS_RETRY_MODE: "",
    AWS_USE_FIPS_ENDPOINT: "",
    AWS_USE_DUALSTACK_ENDPOINT: "",
    HTTP_PROXY: "",
    HTTPS_PROXY: "",
    NO_PROXY: "",
    http_proxy: "",
    https_proxy: "",
    no_proxy: "",
    TF_AWS_IAM_PROPAGATION_TIMEOUT: "5",
    ...extra,
  };
}

/** Runs `body` in a fresh working directory, then destroys what it applied and cleans up. */
export async function inWorkdir(env: Record<string, string>, config: string, body: (w: TerraformWorkingDir) => Promise<void>): Promise<void> {
  const w = await TerraformWorkingDir.create({ env });
  let failed = false;
  try {
    await w.writeConfig(config);
    await body(w);
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    const destroyed = await w.run(["destroy", "-auto-approve", "-no-color"]);
    await w.cleanup();
    // biome-ignore lint/correctness/noUnsafeFinally: only when the body passed; a destroy failure is then the case's failure
    if (!failed && destroyed.code !== 0) throw new TerraformCommandError(["destroy"], destroyed);
  }
}

export const output = (r: TerraformResult) => r.stdout + r.stderr;

export interface ProxyHit {
  /** "CONNECT" or the forwarded request's method. */
  method: string;
  /** host:port the client asked for. */
  target: string;
  /** Query action of a forwarded request ("" for tunnels, whose content is encrypted). */
  action: string;
  proxyAuthorization?: string;
  /** From a forwarded request's SigV4 Authorization header ("" when unsigned). */
  accessKeyId?: string;
  signingRegion?: string;
  userAgent?: string;
}

export interface TestProxy {
  url: string;
  hits: ProxyHit[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy: forwards absolute-URI requests and tunnels CONNECT. `route` maps the host the
 * client asked for to where the proxy really connects (undefined: answer 502), so endpoints can
 * have names that only the proxy can reach.
 */
export async function startProxy(route: (host: string, port: number) => { host: string; port: number } | undefined): Promise<TestProxy> {
  const hits: ProxyHit[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? "/");
    const to = route(url.hostname, Number(url.port || 80));
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      // Credential=KEY/DATE/REGION/SERVICE/aws4_request
      const [accessKeyId = "", , signingRegion = ""] = /Credential=([^,\s]+)/.exec(req.headers.authorization ?? "")?.[1]?.split("/") ?? [];
      hits.push({
        accessKeyId,
        signingRegion,
        userAgent: String(req.headers["user-agent"] ?? ""),
        method: req.method ?? "",
        target: url.host,
        action: new URLSearchParams(body.toString("utf8")).get("Action") ?? "",
        ...(req.headers["proxy-authorization"] ? { proxyAuthorization: String(req.headers["proxy-authorization"]) } : {}),
      });
      if (!to) {
        res.writeHead(502).end();
        return;
      }
      const headers = { ...req.headers };
      delete headers["proxy-authorization"];
      const forward = request({ host: to.host, port: to.port, method: req.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on("error", () => res.destroy());
      forward.end(body);
    });
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    const [host = "", port = "443"] = (req.url ?? "").split(/:(?=\d+$)/);
    hits.push({
      method: "CONNECT",
      target: req.url ?? "",
      action: "",
      ...(req.headers["proxy-authorization"] ? { proxyAuthorization: String(req.headers["proxy-authorization"]) } : {}),
    });
    const to = route(host.replace(/^\[(.*)\]$/, "$1"), Number(port));
    if (!to) {
      client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
      return;
    }
    const upstream = connect(to.port, to.host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
