/**
 * States the official AWS provider (hashicorp/aws, built on SDKv2) writes for the two resource
 * types, reshaped into the values this provider stores, so that taking one over (a `moved`
 * block, or drop-in mode reading its state file) plans no change and keeps every secret.
 *
 * What the official provider writes, by its source (internal/service/iam):
 *  - SDKv2 stores `d.Set(name, nil *string)` as "" where this provider stores null: the
 *    secret and alias a password credential has no use for, the password and service user name
 *    of an API key, an unset permissions boundary.
 *  - Versions before the Bedrock API keys had no credential_age_days, service_credential_alias,
 *    service_credential_secret, create_date or expiration_date; they read as null and the next
 *    refresh fills in the dates and alias.
 *  - `tags` of a user whose configuration has none may be stored as {} (SDKv2 keeps null only
 *    through an apply), and `force_destroy`, whose SDKv2 default is applied only by a plan, is
 *    absent right after an import.
 * Each rule maps only values this provider never stores itself, so states it wrote pass
 * through unchanged, and a real password or secret is never touched.
 */
import type { Value } from "../values/value.ts";
import { NULL, asMap, known, mapValue } from "../values/value.ts";
import type { AttributeNameOfType, ObjectAttributes } from "../framework/attribute-access.ts";
import type { BlockSchema } from "../framework/schema.ts";
import { type CredentialChanges, credentialAttributes } from "./iam-service-specific-credential-schema.ts";
import { type UserChanges, userAttributes } from "./iam-user-schema.ts";

/** Attributes the credential resource stores as null when IAM gives no value. */
const CREDENTIAL_NULL_WHEN_EMPTY = [
  "service_password",
  "service_credential_secret",
  "service_user_name",
  "service_credential_alias",
  "create_date",
  "expiration_date",
] as const;

export function normalizeOfficialCredentialState(state: Value): Value {
  const stored = credentialAttributes(state);
  const changes: CredentialChanges = {};
  for (const name of CREDENTIAL_NULL_WHEN_EMPTY) {
    if (stored.string(name) === "") changes[name] = NULL;
  }
  // SDKv2 reads an unset TypeInt as 0; IAM accepts only 1–36600, so 0 always means "not set",
  // and a 0 kept here would force a replacement against a configuration without it.
  if (stored.number("credential_age_days") === 0) changes.credential_age_days = NULL;

  // The id is service:user:credential id; either side restores the other.
  const id = text(stored, "id");
  const parts = id?.split(":");
  const fromId = parts?.length === 3 && parts.every((p) => p !== "") ? parts : undefined;
  const service = text(stored, "service_name") ?? fromId?.[0];
  const user = text(stored, "user_name") ?? fromId?.[1];
  const credentialId = text(stored, "service_specific_credential_id") ?? fromId?.[2];
  if (!text(stored, "service_name") && service) changes.service_name = known(service);
  if (!text(stored, "user_name") && user) changes.user_name = known(user);
  if (!text(stored, "service_specific_credential_id") && credentialId) changes.service_specific_credential_id = known(credentialId);
  if (!id && service && user && credentialId) changes.id = known(`${service}:${user}:${credentialId}`);

  return Object.keys(changes).length === 0 ? state : stored.with(changes);
}

export interface UserStateOrigin {
  /** Known to be written by an SDKv2 provider (a move can tell by its private data). */
  readonly writtenBySdkv2?: boolean;
}

export function normalizeOfficialUserState(state: Value, origin: UserStateOrigin = {}): Value {
  const stored = userAttributes(state);
  const changes: UserChanges = {};
  // SDKv2 stores a user without a boundary as "", which this provider never writes; this
  // provider plans a configuration without a boundary as null.
  const emptyBoundary = stored.string("permissions_boundary") === "";
  if (emptyBoundary) changes.permissions_boundary = NULL;
  const sdkv2 = emptyBoundary || origin.writtenBySdkv2 === true;
  // Empty tags mean "no tags in the configuration" only in the official provider's state: this
  // provider stores {} for `tags = {}` alone, and must read its own states back unchanged.
  const tags = stored.get("tags");
  if (sdkv2 && asMap(tags)?.size === 0) changes.tags = NULL;
  // tags_all is always a map here, the tags it plans from the configuration at least.
  if (stored.isNull("tags_all")) changes.tags_all = asMap(tags)?.size ? tags : mapValue({});
  if (stored.isNull("force_destroy")) changes.force_destroy = known(false);
  if (!text(stored, "path")) changes.path = known("/");

  // The id is the user's name.
  const id = text(stored, "id");
  const name = text(stored, "name");
  if (!id && name) changes.id = known(name);
  if (!name && id) changes.name = known(id);

  return Object.keys(changes).length === 0 ? state : stored.with(changes);
}

/** A non-empty string attribute, else undefined. */
function text<B extends BlockSchema>(stored: ObjectAttributes<B>, name: AttributeNameOfType<B, "string">): string | undefined {
  return stored.string(name) || undefined;
}
