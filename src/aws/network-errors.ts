/**
 * Node.js network error codes that show the request never reached a server (nothing listens,
 * the name does not resolve, no route): the server cannot have acted, and a wrong endpoint
 * stays wrong however often it is retried.
 */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** The Node.js error code of a network failure (`ECONNREFUSED`), looking through `cause`. */
export function networkErrorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; typeof e === "object" && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}
