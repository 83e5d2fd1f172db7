/**
 * The errors operations throw; the server turns them into Query error documents. Messages
 * follow the wording recorded from real IAM where known (SPEC §5).
 */

export type ErrorType = "Sender" | "Receiver";

export class IamError extends Error {
  readonly code: string;
  readonly status: number;
  readonly type: ErrorType;

  constructor(code: string, status: number, message: string, type?: ErrorType) {
    super(message);
    this.name = "IamError";
    this.code = code;
    this.status = status;
    this.type = type ?? (status >= 500 ? "Receiver" : "Sender");
  }
}

export function validationError(message: string): IamError {
  return new IamError("ValidationError", 400, message);
}

export function invalidInput(message: string): IamError {
  return new IamError("InvalidInput", 400, message);
}

export function noSuchEntity(message: string): IamError {
  return new IamError("NoSuchEntity", 404, message);
}

export function noSuchUser(userName: string): IamError {
  return noSuchEntity(`The user with name ${userName} cannot be found.`);
}

export function entityAlreadyExists(message: string): IamError {
  return new IamError("EntityAlreadyExists", 409, message);
}

export function limitExceeded(message: string): IamError {
  return new IamError("LimitExceeded", 409, message);
}

export function deleteConflict(message: string): IamError {
  return new IamError("DeleteConflict", 409, message);
}

export function serviceFailure(message = "An internal error occurred in the IAM emulator."): IamError {
  return new IamError("ServiceFailure", 500, message);
}

/** The HTTP status IAM uses for a code, for faults injected without an explicit status. */
export function defaultStatusFor(code: string): number {
  switch (code) {
    case "NoSuchEntity":
    case "NotSupportedService":
      return 404;
    case "LimitExceeded":
    case "DeleteConflict":
    case "EntityAlreadyExists":
    case "ConcurrentModification":
    case "EntityTemporarilyUnmodifiable":
      return 409;
    case "ServiceFailure":
    case "InternalFailure":
    case "InternalError":
      return 500;
    case "ServiceUnavailable":
      return 503;
    case "InvalidClientTokenId":
    case "SignatureDoesNotMatch":
    case "AccessDenied":
    case "MissingAuthenticationToken":
      return 403;
    default:
      return 400;
  }
}

export function defaultMessageFor(code: string): string {
  switch (code) {
    case "Throttling":
    case "ThrottlingException":
      return "Rate exceeded";
    case "ServiceFailure":
      return "Service failure injected by the IAM emulator.";
    case "ServiceUnavailable":
      return "Service is unavailable (injected by the IAM emulator).";
    default:
      return `${code} injected by the IAM emulator.`;
  }
}
