/**
 * IAM users: Create/Get/Update/Delete/List, tags and permissions boundaries.
 */
import { deleteConflict, entityAlreadyExists, invalidInput, limitExceeded, validationError } from "./iam-errors.ts";
import { userArn, type Tag, type UserRecord } from "./iam-state.ts";
import { newUserId } from "./ids.ts";
import { requireUser, targetUser, type OperationContext, type OperationDefinition } from "./operation-context.ts";
import { decodeMarker, pageSize, takePage } from "./paging.ts";
import { Validator } from "./validation.ts";
import type { XmlObject } from "./xml-writer.ts";

const MAX_TAGS_PER_USER = 50;
const TAG_KEY = { regex: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, text: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+" };
const TAG_VALUE = { regex: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, text: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*" };
// The emulated account's root user has to have been created at some fixed moment.
const ROOT_CREATE_DATE = new Date("2020-01-01T00:00:00Z");
const POLICY_ARN = /^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/;

function userXml(ctx: OperationContext, user: UserRecord, detail: boolean): XmlObject {
  const xml: XmlObject = {
    Path: user.path,
    UserName: user.name,
    UserId: user.id,
    Arn: userArn(ctx.accountId, user),
    CreateDate: user.createDate,
  };
  // Listing operations leave out boundary and tags, as IAM's ListUsers does.
  if (detail) {
    if (user.permissionsBoundary !== undefined) {
      xml.PermissionsBoundary = {
        PermissionsBoundaryType: "PermissionsBoundaryPolicy",
        PermissionsBoundaryArn: user.permissionsBoundary,
      };
    }
    if (user.tags.size > 0) xml.Tags = tagsXml([...user.tags.values()]);
  }
  return xml;
}

function tagsXml(tags: Tag[]): XmlObject[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

/** Reads and validates `Tags.member.N.Key/Value`. */
function readTags(ctx: OperationContext, v: Validator): Tag[] {
  const raw = ctx.params.structList("Tags", ["Key", "Value"] as const);
  const tags: Tag[] = [];
  raw.forEach((item, index) => {
    const at = `tags.${index + 1}.member`;
    if (v.required(`${at}.key`, item.Key)) v.string(`${at}.key`, item.Key, 1, 128, TAG_KEY);
    if (v.required(`${at}.value`, item.Value)) v.string(`${at}.value`, item.Value, 0, 256, TAG_VALUE);
    tags.push({ key: item.Key ?? "", value: item.Value ?? "" });
  });
  if (tags.length > MAX_TAGS_PER_USER) {
    v.fail("tags", null, `Member must have length less than or equal to ${MAX_TAGS_PER_USER}`);
  }
  return tags;
}

function checkDuplicateTagKeys(tags: Tag[]): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.key.toLowerCase();
    if (seen.has(key)) throw invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    seen.add(key);
  }
}

function checkBoundaryArn(arn: string): void {
  if (!POLICY_ARN.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
}

function createUser(ctx: OperationContext): XmlObject {
  const { params } = ctx;
  const v = new Validator();
  const name = params.get("UserName");
  const path = params.get("Path") ?? "/";
  const boundary = params.get("PermissionsBoundary");
  if (v.required("userName", name)) v.userName("userName", name);
  v.path("path", path);
  v.string("permissionsBoundary", boundary, 20, 2048);
  const tags = readTags(ctx, v);
  v.throwIfInvalid();
  checkDuplicateTagKeys(tags);
  if (boundary !== undefined) checkBoundaryArn(boundary);
  if (ctx.state.findUser(name!)) throw entityAlreadyExists(`User with name ${name} already exists.`);

  const user: UserRecord = {
    id: newUserId(),
    name: name!,
    path,
    createDate: ctx.now,
    tags: new Map(tags.map((t) => [t.key.toLowerCase(), t])),
    permissionsBoundary: boundary,
    accessKeys: new Map(),
    credentials: new Map(),
  };
  ctx.state.addUser(user);
  return { User: userXml(ctx, user, true) };
}

function getUser(ctx: OperationContext): XmlObject {
  const name = ctx.params.get("UserName");
  const v = new Validator();
  v.userName("userName", name);
  v.throwIfInvalid();
  if (name === undefined && ctx.caller.kind === "root") {
    // The root user, as IAM describes it to root credentials.
    return {
      User: {
        UserId: ctx.accountId,
        Arn: `arn:aws:iam::${ctx.accountId}:root`,
        CreateDate: ROOT_CREATE_DATE,
      },
    };
  }
  return { User: userXml(ctx, targetUser(ctx, name), true) };
}

function updateUser(ctx: OperationContext): undefined {
  const { params, state } = ctx;
  const v = new Validator();
  const name = params.get("UserName");
  const newName = params.get("NewUserName");
  const newPath = params.get("NewPath");
  if (v.required("userName", name)) v.userName("userName", name);
  v.userName("newUserName", newName);
  v.path("newPath", newPath);
  v.throwIfInvalid();
  const user = requireUser(ctx, name!);
  if (newName !== undefined && newName !== user.name) {
    const other = state.findUser(newName);
    if (other && other !== user) throw entityAlreadyExists(`User with name ${newName} already exists.`);
    // Credentials, keys and tags hang off the record itself, so they move with it.
    state.renameUser(user, newName);
  }
  if (newPath !== undefined) user.path = newPath;
  return undefined;
}

function deleteUser(ctx: OperationContext): undefined {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  if (v.required("userName", name)) v.userName("userName", name);
  v.throwIfInvalid();
  const user = requireUser(ctx, name!);
  if (user.loginProfile) throw deleteConflict("Cannot delete entity, must delete login profile first.");
  if (user.accessKeys.size > 0) throw deleteConflict("Cannot delete entity, must delete access keys first.");
  if (user.credentials.size > 0) {
    throw deleteConflict("Cannot delete entity, must delete service specific credentials first.");
  }
  ctx.state.removeUser(user);
  return undefined;
}

function listUsers(ctx: OperationContext): XmlObject {
  const { params } = ctx;
  const v = new Validator();
  const prefix = params.get("PathPrefix");
  const marker = params.get("Marker");
  v.string("pathPrefix", prefix, 1, 512, { regex: /^\/[\u0021-\u007F]*$/, text: "\\u002F[\\u0021-\\u007F]*" });
  v.marker("marker", marker);
  const maxItems = pageSize(v.integer("maxItems", params.get("MaxItems"), 1, 1000), ctx.pageSizeLimit);
  v.throwIfInvalid();
  const start = marker !== undefined ? decodeMarker(marker) : "";

  const users = [...ctx.state.users.entries()]
    .filter(([key, user]) => key >= start && (prefix === undefined || user.path.startsWith(prefix)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const page = takePage(users, maxItems, ([key]) => key);
  return {
    Users: page.items.map(([, user]) => userXml(ctx, user, false)),
    IsTruncated: page.isTruncated,
    Marker: page.marker,
  };
}

function tagUser(ctx: OperationContext): undefined {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  if (v.required("userName", name)) v.userName("userName", name);
  const tags = readTags(ctx, v);
  if (tags.length === 0) v.fail("tags", null, "Member must not be null");
  v.throwIfInvalid();
  checkDuplicateTagKeys(tags);
  const user = requireUser(ctx, name!);
  const merged = new Map(user.tags);
  for (const tag of tags) merged.set(tag.key.toLowerCase(), tag);
  if (merged.size > MAX_TAGS_PER_USER) throw limitExceeded(`Cannot exceed quota for TagsPerUser: ${MAX_TAGS_PER_USER}`);
  user.tags = merged;
  return undefined;
}

function untagUser(ctx: OperationContext): undefined {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  const keys = ctx.params.list("TagKeys");
  if (v.required("userName", name)) v.userName("userName", name);
  if (keys.length === 0) v.fail("tagKeys", null, "Member must not be null");
  if (keys.length > MAX_TAGS_PER_USER) v.fail("tagKeys", null, `Member must have length less than or equal to ${MAX_TAGS_PER_USER}`);
  v.throwIfInvalid();
  const user = requireUser(ctx, name!);
  for (const key of keys) user.tags.delete(key.toLowerCase());
  return undefined;
}

function listUserTags(ctx: OperationContext): XmlObject {
  const { params } = ctx;
  const v = new Validator();
  const name = params.get("UserName");
  const marker = params.get("Marker");
  if (v.required("userName", name)) v.userName("userName", name);
  v.marker("marker", marker);
  const maxItems = pageSize(v.integer("maxItems", params.get("MaxItems"), 1, 1000), ctx.pageSizeLimit);
  v.throwIfInvalid();
  const user = requireUser(ctx, name!);
  const start = marker !== undefined ? Number(decodeMarker(marker)) : 0;
  if (!Number.isInteger(start) || start < 0) throw validationError("Invalid Marker.");
  const indexed = [...user.tags.values()].map((tag, index) => ({ tag, index })).slice(start);
  const page = takePage(indexed, maxItems, (item) => String(item.index));
  return {
    Tags: tagsXml(page.items.map((item) => item.tag)),
    IsTruncated: page.isTruncated,
    Marker: page.marker,
  };
}

function putBoundary(ctx: OperationContext): undefined {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  const boundary = ctx.params.get("PermissionsBoundary");
  if (v.required("userName", name)) v.userName("userName", name);
  if (v.required("permissionsBoundary", boundary)) v.string("permissionsBoundary", boundary, 20, 2048);
  v.throwIfInvalid();
  checkBoundaryArn(boundary!);
  requireUser(ctx, name!).permissionsBoundary = boundary;
  return undefined;
}

// Deleting a boundary that is not set succeeds: callers that clean up need not look first.
function deleteBoundary(ctx: OperationContext): undefined {
  const v = new Validator();
  const name = ctx.params.get("UserName");
  if (v.required("userName", name)) v.userName("userName", name);
  v.throwIfInvalid();
  requireUser(ctx, name!).permissionsBoundary = undefined;
  return undefined;
}

export const userOperations: Record<string, OperationDefinition> = {
  CreateUser: { service: "iam", handler: createUser },
  GetUser: { service: "iam", handler: getUser },
  UpdateUser: { service: "iam", handler: updateUser },
  DeleteUser: { service: "iam", handler: deleteUser },
  ListUsers: { service: "iam", handler: listUsers },
  TagUser: { service: "iam", handler: tagUser },
  UntagUser: { service: "iam", handler: untagUser },
  ListUserTags: { service: "iam", handler: listUserTags },
  PutUserPermissionsBoundary: { service: "iam", handler: putBoundary },
  DeleteUserPermissionsBoundary: { service: "iam", handler: deleteBoundary },
};
