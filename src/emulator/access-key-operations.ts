/**
 * Access keys: what force_destroy removes, and (with strict auth) what callers sign with.
 */
import { limitExceeded, noSuchEntity } from "./iam-errors.ts";
import type { AccessKeyRecord, UserRecord } from "./iam-state.ts";
import { newAccessKeyId, newSecretAccessKey } from "./ids.ts";
import { targetUser, type OperationContext, type OperationDefinition } from "./operation-context.ts";
import { Validator } from "./validation.ts";
import type { XmlObject } from "./xml-writer.ts";

const MAX_ACCESS_KEYS_PER_USER = 2;

function findKey(user: UserRecord, id: string): AccessKeyRecord {
  const key = user.accessKeys.get(id);
  if (!key) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
  return key;
}

function createAccessKey(ctx: OperationContext): XmlObject {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  v.userName("userName", name);
  v.throwIfInvalid();
  const user = targetUser(ctx, name);
  if (user.accessKeys.size >= MAX_ACCESS_KEYS_PER_USER) {
    throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS_PER_USER}`);
  }
  const key: AccessKeyRecord = {
    id: newAccessKeyId(),
    secret: newSecretAccessKey(),
    status: "Active",
    createDate: ctx.now,
    user,
  };
  ctx.state.addAccessKey(key);
  return {
    AccessKey: {
      UserName: user.name,
      AccessKeyId: key.id,
      Status: key.status,
      SecretAccessKey: key.secret,
      CreateDate: key.createDate,
    },
  };
}

function listAccessKeys(ctx: OperationContext): XmlObject {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  v.userName("userName", name);
  v.marker("marker", ctx.params.get("Marker"));
  v.integer("maxItems", ctx.params.get("MaxItems"), 1, 1000);
  v.throwIfInvalid();
  const user = targetUser(ctx, name);
  // At most two keys per user, so one page always holds them all.
  return {
    AccessKeyMetadata: [...user.accessKeys.values()].map((key) => ({
      UserName: user.name,
      AccessKeyId: key.id,
      Status: key.status,
      CreateDate: key.createDate,
    })),
    IsTruncated: false,
  };
}

function updateAccessKey(ctx: OperationContext): undefined {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  const id = ctx.params.get("AccessKeyId");
  const status = ctx.params.get("Status");
  v.userName("userName", name);
  if (v.required("accessKeyId", id)) v.accessKeyId("accessKeyId", id);
  if (v.required("status", status)) v.enumValue("status", status, ["Active", "Inactive"] as const);
  v.throwIfInvalid();
  findKey(targetUser(ctx, name), id!).status = status as "Active" | "Inactive";
  return undefined;
}

function deleteAccessKey(ctx: OperationContext): undefined {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  const id = ctx.params.get("AccessKeyId");
  v.userName("userName", name);
  if (v.required("accessKeyId", id)) v.accessKeyId("accessKeyId", id);
  v.throwIfInvalid();
  ctx.state.removeAccessKey(findKey(targetUser(ctx, name), id!));
  return undefined;
}

export const accessKeyOperations: Record<string, OperationDefinition> = {
  CreateAccessKey: { service: "iam", handler: createAccessKey },
  ListAccessKeys: { service: "iam", handler: listAccessKeys },
  UpdateAccessKey: { service: "iam", handler: updateAccessKey },
  DeleteAccessKey: { service: "iam", handler: deleteAccessKey },
};
