/**
 * AWS errors recognised by their code (the SDK's exception `name`), never by message text.
 * The IAM client names modelled errors `NoSuchEntityException`; unmodelled codes such as
 * `Throttling` keep their bare code. Both spellings are accepted.
 */
export function awsErrorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { name?: unknown; Code?: unknown; code?: unknown };
  const raw = typeof e.Code === "string" ? e.Code : typeof e.name === "string" ? e.name : typeof e.code === "string" ? e.code : undefined;
  return raw?.replace(/Exception$/, "");
}

export const isNoSuchEntity = (err: unknown) => awsErrorCode(err) === "NoSuchEntity";
export const isLimitExceeded = (err: unknown) => awsErrorCode(err) === "LimitExceeded";
export const isNotSupportedService = (err: unknown) => awsErrorCode(err) === "NotSupportedService";
export const isDeleteConflict = (err: unknown) => awsErrorCode(err) === "DeleteConflict";
export const isEntityAlreadyExists = (err: unknown) => awsErrorCode(err) === "EntityAlreadyExists";

const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottled",
  "RequestLimitExceeded",
  "TooManyRequests",
  "SlowDown",
]);
export const isThrottling = (err: unknown) => THROTTLING.has(awsErrorCode(err) ?? "");

const AUTH = new Set([
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "UnrecognizedClient",
  "ExpiredToken",
  "InvalidAccessKeyId",
  "AccessDenied",
  "MissingAuthenticationToken",
  "CredentialsProviderError",
]);
export const isAuthFailure = (err: unknown) => AUTH.has(awsErrorCode(err) ?? "");

export function isAbort(err: unknown): boolean {
  const code = awsErrorCode(err);
  return code === "AbortError" || code === "Abort";
}

/** The HTTP status of a service error, when the SDK recorded one. */
export function httpStatus(err: unknown): number | undefined {
  const meta = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode;
}

/** The service's own message, for quoting in a diagnostic after our explanation. */
export function awsErrorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** `Code: message` for a diagnostic's detail, without repeating the code. */
export function describeAwsError(err: unknown): string {
  const code = awsErrorCode(err);
  const message = awsErrorMessage(err);
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}
