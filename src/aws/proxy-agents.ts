/**
 * The HTTP agents the AWS SDK sends through: a proxy when one is configured (a forward proxy
 * for http:// endpoints, an HTTP CONNECT tunnel for https:// ones), the hosts of no_proxy
 * directly, and TLS that trusts the custom CA bundle. Node 20's http module has no proxy
 * support of its own.
 */
import { Agent as HttpAgent, type ClientRequest } from "node:http";
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from "node:https";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect, type ConnectionOptions } from "node:tls";
import type { Duplex } from "node:stream";
import type { ConnectionSettings } from "./aws-settings.ts";
import { proxyBypass, type ProxyBypass } from "./no-proxy.ts";

export class ProxyConnectError extends Error {
  override readonly name = "ProxyConnectError";
  constructor(
    message: string,
    /** A Node-style code, so the retry strategy and error messages treat it as a network failure. */
    readonly code: string,
  ) {
    super(message);
  }
}

interface Proxy {
  url: URL;
  authorization?: string;
}

function parseProxy(text: string | undefined): Proxy | undefined {
  if (!text) return undefined;
  const url = new URL(text);
  const authorization = url.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`
    : undefined;
  return { url, ...(authorization ? { authorization } : {}) };
}

const proxyPort = (p: Proxy) => Number(p.url.port || (p.url.protocol === "https:" ? 443 : 80));
/** The proxy's address without its credentials, for error messages. */
const proxyName = (p: Proxy) => `${p.url.protocol}//${p.url.host}`;

/** A socket to the proxy itself: TLS when the proxy URL is https://. */
function connectToProxy(proxy: Proxy, tls: ConnectionOptions): Socket {
  const host = proxy.url.hostname.replace(/^\[(.*)\]$/, "$1");
  return proxy.url.protocol === "https:"
    ? tlsConnect({ ...tls, host, port: proxyPort(proxy), servername: host })
    : netConnect({ host, port: proxyPort(proxy) });
}

type RequestOptions = { host?: string | null; hostname?: string | null; port?: number | string | null };
const targetOf = (o: RequestOptions, defaultPort: number) => ({
  host: (o.hostname || o.host || "localhost").replace(/^\[(.*)\]$/, "$1"),
  port: Number(o.port || defaultPort),
});

/** http:// endpoints: the request line carries the absolute URL and goes to the proxy. */
class ForwardProxyAgent extends HttpAgent {
  constructor(
    private readonly proxy: Proxy,
    private readonly bypass: ProxyBypass,
  ) {
    super({ keepAlive: true });
  }

  addRequest(req: ClientRequest, options: RequestOptions & Record<string, unknown>): void {
    const target = targetOf(options, 80);
    if (!this.bypass(target.host, target.port)) {
      const hostPart = target.host.includes(":") ? `[${target.host}]` : target.host;
      req.path = `http://${hostPart}:${target.port}${req.path}`;
      if (this.proxy.authorization) req.setHeader("Proxy-Authorization", this.proxy.authorization);
      options = { ...options, proxied: true };
      // The header block may already be rendered with the old path; render it again.
      const r = req as ClientRequest & { _header?: string | null; _implicitHeader?: () => void };
      if (r._header) {
        r._header = null;
        r._implicitHeader?.();
      }
    }
    // @ts-expect-error addRequest is internal to node:http, but stable since Node 0.x.
    super.addRequest(req, options);
  }

  override createConnection(options: RequestOptions & { proxied?: boolean }, callback: (err: Error | null, socket?: Duplex) => void): Duplex | undefined {
    if (!options.proxied) {
      return super.createConnection(options, callback) as Duplex;
    }
    return connectToProxy(this.proxy, {});
  }
}

/** https:// endpoints: an HTTP CONNECT tunnel through the proxy, then TLS to the endpoint. */
class TunnelingAgent extends HttpsAgent {
  constructor(
    private readonly proxy: Proxy | undefined,
    private readonly bypass: ProxyBypass,
    private readonly tls: HttpsAgentOptions,
  ) {
    super({ keepAlive: true, ...tls });
  }

  override createConnection(options: RequestOptions & ConnectionOptions, callback: (err: Error | null, socket?: Duplex) => void): Duplex | undefined {
    const target = targetOf(options, 443);
    if (!this.proxy || this.bypass(target.host, target.port)) {
      return super.createConnection(options, callback) as Duplex;
    }
    const proxy = this.proxy;
    const socket = connectToProxy(proxy, this.tls);
    const authority = `${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
    let answer = Buffer.alloc(0);
    const fail = (err: Error) => {
      socket.destroy();
      callback(err);
    };
    const onData = (chunk: Buffer) => {
      answer = Buffer.concat([answer, chunk]);
      const end = answer.indexOf("\r\n\r\n");
      if (end < 0) {
        if (answer.length > 16_384) fail(new ProxyConnectError(`the proxy ${proxyName(proxy)} sent an oversized answer to CONNECT ${authority}`, "EPROXY"));
        return;
      }
      socket.off("data", onData);
      socket.off("error", fail);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer.subarray(0, end).toString("latin1"))?.[1]);
      if (status !== 200) {
        fail(new ProxyConnectError(`the proxy ${proxyName(proxy)} refused CONNECT ${authority}${status ? ` with HTTP ${status}` : ""}`, "EPROXY"));
        return;
      }
      const servername = options.servername || (/^[\d.]+$|:/.test(target.host) ? undefined : target.host);
      const secure = tlsConnect({ ...options, ...this.tls, socket, ...(servername ? { servername } : {}) });
      callback(null, secure);
    };
    socket.on("data", onData);
    socket.once("error", fail);
    const headers = [
      `CONNECT ${authority} HTTP/1.1`,
      `Host: ${authority}`,
      ...(proxy.authorization ? [`Proxy-Authorization: ${proxy.authorization}`] : []),
      "",
      "",
    ];
    socket.write(headers.join("\r\n"));
    return undefined;
  }
}

export interface SdkAgents {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
}

/** undefined when nothing differs from the SDK's own agents. */
export function sdkAgents(connection: ConnectionSettings | undefined): SdkAgents | undefined {
  if (!connection || (!connection.httpProxy && !connection.httpsProxy && !connection.caBundle && !connection.insecure)) return undefined;
  const bypass = proxyBypass(connection.noProxy);
  const tls: HttpsAgentOptions = {
    ...(connection.caBundle ? { ca: connection.caBundle } : {}),
    ...(connection.insecure ? { rejectUnauthorized: false } : {}),
  };
  const httpProxy = parseProxy(connection.httpProxy);
  return {
    httpAgent: httpProxy ? new ForwardProxyAgent(httpProxy, bypass) : new HttpAgent({ keepAlive: true }),
    httpsAgent: new TunnelingAgent(parseProxy(connection.httpsProxy), bypass, tls),
  };
}
