/**
 * Verification side of AWS Signature Version 4 for header-signed requests, computed the same
 * way the SDK's signer does (single path escape, sorted query, trimmed headers).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export interface SignedRequest {
  method: string;
  /** The request target as received: path plus optional query string. */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface AuthorizationHeader {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; undefined if malformed. */
export function parseAuthorization(value: string): AuthorizationHeader | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get("Credential")?.split("/");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (credential?.length !== 5 || credential[4] !== "aws4_request") return undefined;
  if (!signedHeaders || !signature) return undefined;
  const [accessKeyId, shortDate, region, service] = credential as [string, string, string, string];
  if (!accessKeyId) return undefined;
  return { accessKeyId, shortDate, region, service, signedHeaders: signedHeaders.split(";"), signature };
}

function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(escapeUri(safeDecode(segment)));
  }
  if (segments.length === 0) return "/";
  return `/${segments.join("/")}${path.endsWith("/") ? "/" : ""}`;
}

function canonicalQuery(query: string): string {
  if (query === "") return "";
  const pairs: [string, string][] = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : safeDecode(part.slice(eq + 1));
    if (key.toLowerCase() === "x-amz-signature") continue;
    pairs.push([escapeUri(key), escapeUri(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const raw = headers[name];
  const joined = Array.isArray(raw) ? raw.join(",") : (raw ?? "");
  return joined
    .replace(/[\r\n]/g, " ")
    .replace(/[ \t]+/g, " ")
    .trim();
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

export function expectedSignature(request: SignedRequest, auth: AuthorizationHeader, secretAccessKey: string): string {
  const queryAt = request.rawUrl.indexOf("?");
  const path = queryAt < 0 ? request.rawUrl : request.rawUrl.slice(0, queryAt);
  const query = queryAt < 0 ? "" : request.rawUrl.slice(queryAt + 1);
  const signedHeaders = [...auth.signedHeaders].map((h) => h.toLowerCase()).sort();
  const payloadHash = headerValue(request.headers, "x-amz-content-sha256") || sha256Hex(request.body);
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(path),
    canonicalQuery(query),
    `${signedHeaders.map((name) => `${name}:${headerValue(request.headers, name)}`).join("\n")}\n`,
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
  const scope = `${auth.shortDate}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [ALGORITHM, headerValue(request.headers, "x-amz-date"), scope, sha256Hex(canonicalRequest)].join("\n");
  const dateKey = hmac(`AWS4${secretAccessKey}`, auth.shortDate);
  const signingKey = hmac(hmac(hmac(dateKey, auth.region), auth.service), "aws4_request");
  return createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
}

/** A signed x-amz-content-sha256 header only protects the body if it is the body's hash. */
export function declaredPayloadHashMatches(request: SignedRequest): boolean {
  const declared = headerValue(request.headers, "x-amz-content-sha256");
  if (declared === "" || declared === "UNSIGNED-PAYLOAD") return true;
  return declared.toLowerCase() === sha256Hex(request.body);
}

export function signaturesMatch(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(provided.toLowerCase(), "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
