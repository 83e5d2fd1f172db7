/**
 * Who is calling. By default any SigV4-looking request is accepted (as LocalStack does) and
 * the key only decides the identity; with strict auth the key must be known and the
 * signature must verify.
 */
import { IamError } from "./iam-errors.ts";
import type { IamState } from "./iam-state.ts";
import type { Caller } from "./operation-context.ts";
import { declaredPayloadHashMatches, expectedSignature, parseAuthorization, signaturesMatch, type SignedRequest } from "./sigv4.ts";

export const ROOT_ACCESS_KEY_ID = "AKIAEMULATORROOT0001";
export const ROOT_SECRET_ACCESS_KEY = "emulator-root-secret";

export interface AuthOptions {
  strict: boolean;
  now: Date;
}

const invalidToken = (): IamError => new IamError("InvalidClientTokenId", 403, "The security token included in the request is invalid.");

function identify(state: IamState, accessKeyId: string): Caller {
  const session = state.sessions.get(accessKeyId);
  if (session) return { kind: "assumed-role", accessKeyId, session };
  const key = state.accessKeys.get(accessKeyId);
  if (key) return { kind: "user", accessKeyId, user: key.user };
  return { kind: "root", accessKeyId };
}

export function authenticate(request: SignedRequest, state: IamState, options: AuthOptions): Caller {
  const header = request.headers.authorization;
  if (!header) throw new IamError("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
  const auth = parseAuthorization(header);
  if (!options.strict) return auth ? identify(state, auth.accessKeyId) : { kind: "root", accessKeyId: "" };

  if (!auth) {
    throw new IamError(
      "IncompleteSignature",
      400,
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, and 'Credential' must be KEY/DATE/REGION/SERVICE/aws4_request.",
    );
  }
  if (!request.headers["x-amz-date"]) {
    throw new IamError("IncompleteSignature", 400, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const token = request.headers["x-amz-security-token"];
  let secret: string;
  const session = state.sessions.get(auth.accessKeyId);
  if (session) {
    if (token !== session.sessionToken) throw invalidToken();
    if (options.now.getTime() >= session.expiration.getTime()) {
      throw new IamError("ExpiredToken", 403, "The security token included in the request is expired");
    }
    secret = session.secretAccessKey;
  } else {
    // Long-term keys never come with a session token.
    if (token !== undefined) throw invalidToken();
    if (auth.accessKeyId === ROOT_ACCESS_KEY_ID) {
      secret = ROOT_SECRET_ACCESS_KEY;
    } else {
      const key = state.accessKeys.get(auth.accessKeyId);
      if (key?.status !== "Active") throw invalidToken();
      secret = key.secret;
    }
  }
  if (!signaturesMatch(expectedSignature(request, auth, secret), auth.signature)) {
    throw new IamError(
      "SignatureDoesNotMatch",
      403,
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  if (!declaredPayloadHashMatches(request)) {
    throw new IamError("XAmzContentSHA256Mismatch", 400, "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return identify(state, auth.accessKeyId);
}
