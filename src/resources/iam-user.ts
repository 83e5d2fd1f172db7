/**
 * aws_iam_user: the IAM user that service-specific credentials belong to. Enough of the AWS
 * provider's resource that its documented examples run unchanged: rename in place, path,
 * permissions boundary, tags with the provider's default_tags, and force_destroy.
 */
import type { Value } from "../values/value.ts";
import { NULL, UNKNOWN, asMap, asString, isKnown, isNull, known, mapValue, objectValue, stringValue, valuesEqual } from "../values/value.ts";
import type { Resource } from "../framework/resource.ts";
import type { Diagnostics } from "../framework/diagnostics.ts";
import type { IamApi, Tag, User } from "../aws/iam-api.ts";
import { awsErrorMessage, describeAwsError, isDeleteConflict, isEntityAlreadyExists, isNoSuchEntity, isThrottling } from "../aws/aws-errors.ts";
import { retryDuringPropagation } from "../aws/propagation-retry.ts";
import { isIgnoredTag } from "../aws/aws-settings.ts";
import { SUPPORTED_SERVICES } from "./iam-service-specific-credential-schema.ts";
import { isValidUserName, sameUserName } from "./iam-user-name.ts";
import { type UserChanges, iamUserSchema, userAttributes } from "./iam-user-schema.ts";
import { credentialListings } from "./credential-listings.ts";
import { normalizeOfficialUserState } from "./official-state.ts";
import { moveFromOfficial } from "./move-from-official.ts";
import { UnprovenUserError, createUserAdoptingLostAnswer, renameTookEffect } from "./user-lost-answers.ts";

export const iamUser: Resource<IamApi> = {
  typeName: "aws_iam_user",
  schema: iamUserSchema,

  modifyPlan({ prior, config, client }, plan) {
    const priorAttrs = userAttributes(prior);
    const configAttrs = userAttributes(config);
    const tags = configAttrs.get("tags");
    const defaults = client?.settings.defaultTags ?? {};
    const all = isKnown(tags) || isNull(tags) ? mergedTags(defaults, tags) : UNKNOWN;
    const plannedAttrs = userAttributes(plan.planned);
    const name = plannedAttrs.get("name");
    const changes: UserChanges = { tags_all: all, id: isKnown(name) ? name : UNKNOWN };
    if (!isNull(prior)) {
      const renamed = !valuesEqual(name, priorAttrs.get("name")) || !valuesEqual(plannedAttrs.get("path"), priorAttrs.get("path"));
      if (renamed) changes.arn = UNKNOWN;
    }
    plan.planned = plannedAttrs.with(changes);
  },

  async create({ planned, ...ctx }, resp) {
    const diags = resp.diagnostics;
    const plannedAttrs = userAttributes(planned);
    const name = plannedAttrs.requireString("name");
    const path = plannedAttrs.string("path") ?? "/";
    const boundary = plannedAttrs.string("permissions_boundary");
    const tags = tagList(plannedAttrs.get("tags_all"));
    let user: User;
    try {
      user = await createUserAdoptingLostAnswer(
        ctx.client,
        { userName: name, path, ...(boundary ? { permissionsBoundary: boundary } : {}), tags },
        ctx.signal,
        ctx.logger,
      );
    } catch (err) {
      if (err instanceof UnprovenUserError) {
        diags.error("IAM user already exists", err.message, ["name"]);
      } else if (isEntityAlreadyExists(err)) {
        diags.error(
          "IAM user already exists",
          `An IAM user named ${JSON.stringify(name)} already exists. Import it with: terraform import aws_iam_user.<name> ${name}`,
          ["name"],
        );
      } else {
        apiError(diags, err, ctx.client, "Could not create the IAM user", `Creating user ${name} failed`);
      }
      return;
    }
    resp.state = userState(user, planned);
  },

  async read({ state, afterImport, ...ctx }, resp) {
    const diags = resp.diagnostics;
    const stateAttrs = userAttributes(state);
    const name = stateAttrs.string("id") ?? stateAttrs.string("name");
    if (!name) {
      resp.state = NULL;
      return;
    }
    let user: User;
    let remoteTags: Tag[];
    try {
      user = await ctx.client.getUser(name, ctx.signal);
      remoteTags = await ctx.client.listUserTags(name, ctx.signal);
    } catch (err) {
      if (isNoSuchEntity(err)) {
        if (afterImport) diags.error("Cannot import non-existent IAM user", `IAM has no user named ${JSON.stringify(name)}.`);
        resp.state = NULL;
        return;
      }
      apiError(diags, err, ctx.client, "Could not read the IAM user", `Reading user ${name} failed`);
      return;
    }
    // ignore_tags: such tags belong to someone else; neither shown nor (so) ever removed.
    const ignore = ctx.client.settings.ignoreTags;
    const all = new Map(remoteTags.filter((t) => !isIgnoredTag(ignore, t.Key ?? "")).map((t) => [t.Key ?? "", known(t.Value ?? "")] as const));
    // `tags` holds what the configuration owns: remote tags minus the provider's defaults,
    // unless the configuration set that key itself.
    const defaults = ctx.client.settings.defaultTags;
    const priorTags = asMap(stateAttrs.get("tags"));
    const own = new Map([...all].filter(([k, v]) => priorTags?.has(k) || !(k in defaults) || asString(v) !== defaults[k]));
    const tags = own.size === 0 && !priorTags?.size ? stateAttrs.get("tags") : mapValue(own);
    resp.state = userState(user, stateAttrs.with({ tags: isNull(tags) && own.size === 0 ? NULL : tags, tags_all: mapValue(all) }));
  },

  async update({ prior, planned, ...ctx }, resp) {
    const diags = resp.diagnostics;
    const api = ctx.client;
    const priorAttrs = userAttributes(prior);
    const plannedAttrs = userAttributes(planned);
    const oldName = priorAttrs.requireString("name");
    const name = plannedAttrs.requireString("name");
    const path = plannedAttrs.string("path") ?? "/";
    let renamed = false;
    try {
      if (oldName !== name || path !== priorAttrs.string("path")) {
        // Credentials listed under the old name are not found under it any more.
        await credentialListings(api).changing(oldName, undefined, async () => {
          try {
            await api.updateUser(
              oldName,
              { ...(oldName !== name ? { newUserName: name } : {}), ...(path !== priorAttrs.string("path") ? { newPath: path } : {}) },
              ctx.signal,
            );
          } catch (err) {
            // A lost answer: the SDK's repeat finds the old name gone. Proof it happened is the unique id.
            const rename = { oldName, newName: name, uniqueId: priorAttrs.string("unique_id") };
            if (!(await renameTookEffect(api, err, rename, ctx.signal, ctx.logger))) throw err;
          }
        });
        renamed = true;
      }
      const boundary = plannedAttrs.string("permissions_boundary");
      if (boundary !== priorAttrs.string("permissions_boundary")) {
        if (boundary) await api.putUserPermissionsBoundary(name, boundary, ctx.signal);
        else await api.deleteUserPermissionsBoundary(name, ctx.signal);
      }
      const before = asMap(priorAttrs.get("tags_all")) ?? new Map<string, Value>();
      const after = asMap(plannedAttrs.get("tags_all")) ?? new Map<string, Value>();
      await api.untagUser(
        name,
        [...before.keys()].filter((k) => !after.has(k)),
        ctx.signal,
      );
      await api.tagUser(name, tagList(mapValue(new Map([...after].filter(([k, v]) => !valuesEqual(v, before.get(k) ?? NULL))))), ctx.signal);
      // The user's ARN changes with its name and path.
      const user = await retryDuringPropagation(() => api.getUser(name, ctx.signal), isNoSuchEntity, {
        timeoutMs: api.settings.propagationTimeoutMs,
        signal: ctx.signal,
      });
      resp.state = userState(user, planned);
    } catch (err) {
      apiError(diags, err, api, "Could not update the IAM user", `Updating user ${oldName} failed`);
      // After a rename the user is only found under its new name: keep that, or the next
      // refresh would think it deleted.
      resp.state = renamed ? priorAttrs.with({ id: known(name), name: known(name), path: known(path) }) : prior;
    }
  },

  async delete({ prior, ...ctx }, resp) {
    const diags = resp.diagnostics;
    const api = ctx.client;
    const priorAttrs = userAttributes(prior);
    const name = priorAttrs.string("name");
    if (!name) return;
    try {
      // force_destroy deletes the user's credentials, some of them even if a later step fails.
      await credentialListings(api).changing(name, undefined, async () => {
        if (priorAttrs.bool("force_destroy")) {
          for (const c of await api.listUserServiceSpecificCredentials(name, SUPPORTED_SERVICES, ctx.signal)) {
            await ignoreMissing(api.deleteServiceSpecificCredential(name, c.ServiceSpecificCredentialId!, ctx.signal));
          }
          for (const key of await api.listAccessKeys(name, ctx.signal)) await ignoreMissing(api.deleteAccessKey(name, key.AccessKeyId!, ctx.signal));
          await ignoreMissing(api.deleteLoginProfile(name, ctx.signal));
        }
        await api.deleteUser(name, ctx.signal);
      });
    } catch (err) {
      // Only a user that is really gone counts as deleted: IAM look-alikes also answer
      // NoSuchEntity for other things (LocalStack: a service it does not support).
      if (isNoSuchEntity(err) && !(await userStillExists(api, name, ctx.signal))) return;
      if (isDeleteConflict(err)) {
        diags.error(
          "IAM user still has credentials",
          `User ${name} cannot be deleted while it has service-specific credentials, access keys or a login profile that Terraform does not manage. Delete them, or set force_destroy = true (and apply) to let Terraform remove them. IAM said: ${awsErrorMessage(err)}`,
        );
        return;
      }
      apiError(diags, err, api, "Could not delete the IAM user", `Deleting user ${name} failed`);
    }
  },

  importState({ id }, resp) {
    const diags = resp.diagnostics;
    if (!isValidUserName(id)) {
      diags.error("Invalid import id", `Unexpected import id ${JSON.stringify(id)}: expected the user's name, such as "example".`);
      return;
    }
    resp.state = objectValue({ id: known(id), name: known(id), force_destroy: known(false), path: known("/") });
  },

  // The official provider's states, read in drop-in mode or moved in, plan no change.
  upgradeState({ state }, resp) {
    resp.state = normalizeOfficialUserState(state);
  },
  moveState: moveFromOfficial("aws_iam_user", ({ state, writtenBySdkv2 }) => normalizeOfficialUserState(state, { writtenBySdkv2 })),
};

/** An AWS error as a diagnostic; throttling that outlasted every retry says what to do about it. */
function apiError(diags: Diagnostics, err: unknown, api: IamApi, summary: string, what: string): void {
  if (isThrottling(err)) {
    diags.error(
      "AWS kept throttling the request",
      `${what}: IAM throttled it through every retry (max_retries = ${api.settings.maxRetries}): ${describeAwsError(err)}. ` +
        "Try again later, lower -parallelism, or raise max_retries.",
    );
    return;
  }
  diags.error(summary, `${what}: ${describeAwsError(err)}`);
}

function userState(user: User, base: Value): Value {
  // IAM matches names regardless of case and answers with the stored spelling: keep the
  // configured (or imported) one, or apply looks inconsistent and every plan renames.
  const baseAttrs = userAttributes(base);
  const spelled = baseAttrs.string("name");
  const name = sameUserName(user.UserName, spelled) ? spelled : user.UserName;
  return baseAttrs.with({
    id: stringValue(name),
    name: stringValue(name),
    path: stringValue(user.Path ?? "/"),
    arn: stringValue(user.Arn),
    unique_id: stringValue(user.UserId),
    permissions_boundary: stringValue(user.PermissionsBoundary?.PermissionsBoundaryArn),
    force_destroy: baseAttrs.isNull("force_destroy") ? known(false) : baseAttrs.get("force_destroy"),
  });
}

function mergedTags(defaults: Record<string, string>, tags: Value): Value {
  const out = new Map<string, Value>(Object.entries(defaults).map(([k, v]) => [k, known(v)]));
  for (const [k, v] of asMap(tags) ?? []) out.set(k, v);
  return mapValue(out);
}

function tagList(tags: Value): Tag[] {
  return [...(asMap(tags) ?? [])].map(([Key, v]) => ({ Key, Value: asString(v) ?? "" }));
}

async function userStillExists(api: IamApi, name: string, signal: AbortSignal): Promise<boolean> {
  try {
    await api.getUser(name, signal);
    return true;
  } catch (err) {
    // Unsure is not gone: report the original error rather than drop the user from state.
    return !isNoSuchEntity(err);
  }
}

async function ignoreMissing(p: Promise<void>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isNoSuchEntity(err)) throw err;
  }
}
