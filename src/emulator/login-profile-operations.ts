/**
 * Console login profiles: only their existence matters here (they block DeleteUser).
 */
import { entityAlreadyExists, noSuchEntity } from "./iam-errors.ts";
import type { UserRecord } from "./iam-state.ts";
import { targetUser, type OperationContext, type OperationDefinition } from "./operation-context.ts";
import { Validator } from "./validation.ts";
import type { XmlObject } from "./xml-writer.ts";

function missingProfile(user: UserRecord): Error {
  return noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
}

function profileXml(user: UserRecord): XmlObject {
  return {
    LoginProfile: {
      UserName: user.name,
      CreateDate: user.loginProfile!.createDate,
      PasswordResetRequired: user.loginProfile!.passwordResetRequired,
    },
  };
}

function createLoginProfile(ctx: OperationContext): XmlObject {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  const password = ctx.params.get("Password");
  v.userName("userName", name);
  if (v.required("password", password)) v.string("password", password, 1, 128);
  const resetRequired = v.boolean("passwordResetRequired", ctx.params.get("PasswordResetRequired")) ?? false;
  v.throwIfInvalid();
  const user = targetUser(ctx, name);
  if (user.loginProfile) throw entityAlreadyExists(`Login Profile for user ${user.name} already exists.`);
  // The password itself is never read back, so it is not kept.
  user.loginProfile = { createDate: ctx.now, passwordResetRequired: resetRequired };
  return profileXml(user);
}

function getLoginProfile(ctx: OperationContext): XmlObject {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  v.userName("userName", name);
  v.throwIfInvalid();
  const user = targetUser(ctx, name);
  if (!user.loginProfile) throw missingProfile(user);
  return profileXml(user);
}

function deleteLoginProfile(ctx: OperationContext): undefined {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  v.userName("userName", name);
  v.throwIfInvalid();
  const user = targetUser(ctx, name);
  if (!user.loginProfile) throw missingProfile(user);
  user.loginProfile = undefined;
  return undefined;
}

export const loginProfileOperations: Record<string, OperationDefinition> = {
  CreateLoginProfile: { service: "iam", handler: createLoginProfile },
  GetLoginProfile: { service: "iam", handler: getLoginProfile },
  DeleteLoginProfile: { service: "iam", handler: deleteLoginProfile },
};
