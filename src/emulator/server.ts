/**
 * HTTP plumbing: reads bounded bodies, routes control requests, and runs Query actions
 * through faults, authentication and the operation handlers.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { authenticate } from "./auth.ts";
import { CONTROL_PREFIX, handleControl } from "./control-api.ts";
import type { EmulatorCore } from "./emulator-core.ts";
import { IamError, serviceFailure } from "./iam-errors.ts";
import type { Caller } from "./operation-context.ts";
import { operations } from "./operation-registry.ts";
import { IAM_SERVICE, QueryParams, renderError, renderResult, serviceForVersion, STS_SERVICE, type ServiceDescription } from "./query-protocol.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > MAX_BODY_BYTES) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners("data");
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    "Content-Type": "text/xml",
    "Content-Length": Buffer.byteLength(xml),
    "x-amzn-RequestId": requestId,
  });
  res.end(xml);
}

function sendError(res: ServerResponse, service: ServiceDescription, error: IamError, requestId: string): void {
  sendXml(res, error.status, renderError(service, error, requestId), requestId);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** Destroys the connection without an answer, as a network failure would. */
function drop(req: IncomingMessage): void {
  req.socket.destroy();
}

async function handleQuery(core: EmulatorCore, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const requestId = randomUUID();
  const rawUrl = req.url ?? "/";
  const queryAt = rawUrl.indexOf("?");
  // Query requests are normally POSTed forms; GET with the parameters in the URL is also valid.
  const encoded = req.method === "POST" ? body.toString("utf8") : queryAt >= 0 ? rawUrl.slice(queryAt + 1) : "";
  const params = new QueryParams(encoded);
  const action = params.get("Action");
  const version = params.get("Version");
  const definition = action !== undefined ? operations.get(action) : undefined;
  const service = serviceForVersion(version) ?? (definition?.service === "sts" ? STS_SERVICE : IAM_SERVICE);

  if (action === undefined || action === "") {
    sendError(res, service, new IamError("MissingAction", 400, "Missing Action"), requestId);
    return;
  }
  core.state.countCall(action);
  if (!definition || (version !== undefined && serviceForVersion(version)?.id !== definition.service)) {
    const message = `Could not find operation ${action} for version ${version ?? "(none)"}`;
    sendError(res, service, new IamError("InvalidAction", 400, message), requestId);
    return;
  }

  const fault = core.faults.decide(action);
  if (fault && fault.delayMs > 0) await sleep(fault.delayMs, undefined, { ref: false });
  if (fault?.drop === "before") return drop(req);
  if (fault?.error) return sendError(res, service, fault.error, requestId);

  const now = core.clock.now();
  let result: ReturnType<typeof definition.handler>;
  try {
    const caller: Caller = definition.unsigned
      ? { kind: "root", accessKeyId: "" }
      : authenticate({ method: req.method ?? "POST", rawUrl, headers: req.headers, body }, core.state, { strict: core.strictAuth, now });
    result = definition.handler({
      params,
      state: core.state,
      profile: core.profile,
      accountId: core.accountId,
      clock: core.clock,
      now,
      caller,
      pageSizeLimit: core.pageSizeLimit,
    });
  } catch (error) {
    if (error instanceof IamError) return sendError(res, service, error, requestId);
    logInternalError(error);
    return sendError(res, service, serviceFailure(), requestId);
  }
  if (fault?.drop === "after") return drop(req);
  sendXml(res, 200, renderResult(service, action, result, requestId), requestId);
}

async function handle(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // IAM's Date header is its clock; the SDK corrects its own by it, so it follows the emulator's.
  res.setHeader("Date", core.clock.now().toUTCString());
  const path = (req.url ?? "/").split("?")[0]!;
  const isControl = path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    // Close afterwards: the rest of the oversized body is never read.
    res.setHeader("Connection", "close");
    if (isControl) return sendJson(res, 413, { error: `request body exceeds ${MAX_BODY_BYTES} bytes` });
    const requestId = randomUUID();
    const tooLarge = new IamError("RequestEntityTooLarge", 413, `Request body must not exceed ${MAX_BODY_BYTES} bytes.`);
    return sendError(res, IAM_SERVICE, tooLarge, requestId);
  }
  if (isControl) {
    const answer = handleControl(core, req.method ?? "GET", path, body);
    return sendJson(res, answer.status, answer.body);
  }
  await handleQuery(core, req, res, body);
}

function logInternalError(error: unknown): void {
  process.stderr.write(`IAM emulator: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}

/** PEM certificate chain and key, to serve HTTPS instead of HTTP. */
export interface EmulatorTls {
  certPem: string;
  keyPem: string;
}

export function createEmulatorServer(core: EmulatorCore, tls?: EmulatorTls): Server {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handle(core, req, res).catch((error: unknown) => {
      logInternalError(error);
      if (req.url?.startsWith(CONTROL_PREFIX)) return sendJson(res, 500, { error: "internal error" });
      sendError(res, IAM_SERVICE, serviceFailure(), randomUUID());
    });
  };
  // An https.Server is an http.Server underneath; callers only listen, close and read addresses.
  const server: Server = tls ? createTlsServer({ cert: tls.certPem, key: tls.keyPem }, handler) : createServer(handler);
  // Longer than the SDK's idle keep-alive, so the client never reuses a socket the server
  // is just closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
