// STS: GetCallerIdentity and AssumeRole. Roles are not modelled; any well-formed role ARN can
// be assumed, and the session it yields is a real credential when strict auth is on.
import { validationError } from "./iam-errors.ts";
import { userArn, type SessionRecord } from "./iam-state.ts";
import { newSecretAccessKey, newSessionKeyId, newSessionToken, roleIdFor } from "./ids.ts";
import type { OperationContext, OperationDefinition } from "./operation-context.ts";
import { Validator } from "./validation.ts";
import type { XmlObject } from "./xml-writer.ts";

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\u0021-\u007F]*\/)?([\w+=,.@-]+)$/;

export function assumedRoleArn(session: SessionRecord): string {
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

function assumeRole(ctx: OperationContext): XmlObject {
  const { params } = ctx;
  const v = new Validator();
  const roleArn = params.get("RoleArn");
  const sessionName = params.get("RoleSessionName");
  if (v.required("roleArn", roleArn)) v.string("roleArn", roleArn, 20, 2048);
  if (v.required("roleSessionName", sessionName)) {
    v.string("roleSessionName", sessionName, 2, 64, { regex: /^[\w+=,.@-]*$/, text: "[\\w+=,.@-]*" });
  }
  v.string("externalId", params.get("ExternalId"), 2, 1224, { regex: /^[\w+=,.@:/-]*$/, text: "[\\w+=,.@:\\/-]*" });
  const duration = v.integer("durationSeconds", params.get("DurationSeconds"), 900, 43200) ?? 3600;
  v.throwIfInvalid();
  const match = ROLE_ARN.exec(roleArn!);
  if (!match) throw validationError(`${roleArn} is not a valid role ARN.`);

  const session: SessionRecord = {
    accessKeyId: newSessionKeyId(),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
    expiration: new Date(ctx.now.getTime() + duration * 1000),
    roleArn: roleArn!,
    roleName: match[2]!,
    roleId: roleIdFor(roleArn!),
    sessionName: sessionName!,
    accountId: match[1]!,
  };
  ctx.state.sessions.set(session.accessKeyId, session);
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

export const stsOperations: Record<string, OperationDefinition> = {
  GetCallerIdentity: { service: "sts", handler: getCallerIdentity },
  AssumeRole: { service: "sts", handler: assumeRole },
};
