/**
 * STS: GetCallerIdentity, AssumeRole and AssumeRoleWithWebIdentity. Roles are not modelled;
 * any well-formed role ARN can be assumed, and the session it yields is a real credential when
 * strict auth is on. Web identity tokens must be JWTs; their signatures are not checked.
 */
import { IamError, validationError } from "./iam-errors.ts";
import { userArn, type SessionRecord } from "./iam-state.ts";
import { newSecretAccessKey, newSessionKeyId, newSessionToken, roleIdFor } from "./ids.ts";
import type { OperationContext, OperationDefinition } from "./operation-context.ts";
import { Validator } from "./validation.ts";
import type { XmlObject } from "./xml-writer.ts";

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\u0021-\u007F]*\/)?([\w+=,.@-]+)$/;

function assumedRoleArn(session: SessionRecord): string {
  return `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`;
}

function getCallerIdentity(ctx: OperationContext): XmlObject {
  const { caller } = ctx;
  switch (caller.kind) {
    case "root":
      return { UserId: ctx.accountId, Account: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root` };
    case "user":
      return { UserId: caller.user.id, Account: ctx.accountId, Arn: userArn(ctx.accountId, caller.user) };
    case "assumed-role":
      return {
        UserId: `${caller.session.roleId}:${caller.session.sessionName}`,
        Account: caller.session.accountId,
        Arn: assumedRoleArn(caller.session),
      };
  }
}

/** A new role session, recorded so that strict auth accepts its keys. */
function startSession(ctx: OperationContext, roleArn: string, sessionName: string, duration: number): SessionRecord {
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw validationError(`${roleArn} is not a valid role ARN.`);
  const session: SessionRecord = {
    accessKeyId: newSessionKeyId(),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
    expiration: new Date(ctx.now.getTime() + duration * 1000),
    roleArn,
    roleName: match[2]!,
    roleId: roleIdFor(roleArn),
    sessionName,
    accountId: match[1]!,
  };
  ctx.state.sessions.set(session.accessKeyId, session);
  return session;
}

function sessionResult(session: SessionRecord): XmlObject {
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiration,
    },
    AssumedRoleUser: {
      AssumedRoleId: `${session.roleId}:${session.sessionName}`,
      Arn: assumedRoleArn(session),
    },
  };
}

/** The parameters AssumeRole and AssumeRoleWithWebIdentity share. */
function validateSessionParams(ctx: OperationContext, v: Validator): { roleArn?: string; sessionName?: string; duration: number } {
  const { params } = ctx;
  const roleArn = params.get("RoleArn");
  const sessionName = params.get("RoleSessionName");
  if (v.required("roleArn", roleArn)) v.string("roleArn", roleArn, 20, 2048);
  if (v.required("roleSessionName", sessionName)) {
    v.string("roleSessionName", sessionName, 2, 64, { regex: /^[\w+=,.@-]*$/, text: "[\\w+=,.@-]*" });
  }
  v.string("policy", params.get("Policy"), 1, 2048);
  for (const arn of params.structList("PolicyArns", ["arn"] as const)) v.string("policyArns.member.arn", arn.arn, 20, 2048);
  const duration = v.integer("durationSeconds", params.get("DurationSeconds"), 900, 43200) ?? 3600;
  return { ...(roleArn !== undefined ? { roleArn } : {}), ...(sessionName !== undefined ? { sessionName } : {}), duration };
}

function assumeRole(ctx: OperationContext): XmlObject {
  const v = new Validator();
  const { roleArn, sessionName, duration } = validateSessionParams(ctx, v);
  v.string("externalId", ctx.params.get("ExternalId"), 2, 1224, { regex: /^[\w+=,.@:/-]*$/, text: "[\\w+=,.@:\\/-]*" });
  v.throwIfInvalid();
  return sessionResult(startSession(ctx, roleArn!, sessionName!, duration));
}

const invalidIdentityToken = (message: string) => new IamError("InvalidIdentityToken", 400, message);

/** The claims of a JWT's payload; the signature is not checked (there is no identity provider). */
function jwtClaims(token: string): Record<string, unknown> {
  const parts = token.split(".");
  if (parts.length !== 3) throw invalidIdentityToken("The web identity token is not a JSON Web Token (header.payload.signature).");
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as unknown;
    if (typeof claims === "object" && claims !== null && !Array.isArray(claims)) return claims as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalidIdentityToken("The payload of the web identity token is not a JSON object.");
}

function assumeRoleWithWebIdentity(ctx: OperationContext): XmlObject {
  const v = new Validator();
  const { roleArn, sessionName, duration } = validateSessionParams(ctx, v);
  const token = ctx.params.get("WebIdentityToken");
  if (v.required("webIdentityToken", token)) v.string("webIdentityToken", token, 4, 20000);
  v.throwIfInvalid();
  const claims = jwtClaims(token!);
  const subject = typeof claims.sub === "string" ? claims.sub : undefined;
  const issuer = typeof claims.iss === "string" ? claims.iss : undefined;
  const audience = typeof claims.aud === "string" ? claims.aud : Array.isArray(claims.aud) && typeof claims.aud[0] === "string" ? claims.aud[0] : undefined;
  if (!subject || !issuer || !audience) throw invalidIdentityToken("The web identity token lacks one of the claims sub, iss and aud.");
  if (typeof claims.exp === "number" && claims.exp * 1000 <= ctx.now.getTime()) {
    throw new IamError("ExpiredTokenException", 400, "Token expired: current date/time must be before the expiration date/time.");
  }
  const session = startSession(ctx, roleArn!, sessionName!, duration);
  return {
    ...sessionResult(session),
    SubjectFromWebIdentityToken: subject,
    Audience: audience,
    Provider: issuer.replace(/^https:\/\//, ""),
  };
}

export const stsOperations: Record<string, OperationDefinition> = {
  GetCallerIdentity: { service: "sts", handler: getCallerIdentity },
  AssumeRole: { service: "sts", handler: assumeRole },
  // Real STS takes this call unsigned: the token is the credential.
  AssumeRoleWithWebIdentity: { service: "sts", handler: assumeRoleWithWebIdentity, unsigned: true },
};
