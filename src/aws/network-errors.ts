/**
 * Node.js network error codes that show the request never reached a server (nothing listens,
 * the name does not resolve, no route): the server cannot have acted, and a wrong endpoint
 * stays wrong however often it is retried.
 */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
