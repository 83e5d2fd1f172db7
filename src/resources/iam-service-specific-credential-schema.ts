/** The schema of aws_iam_service_specific_credential, and typed access to its objects' attributes. */
import type { Value } from "../values/value.ts";
import { known } from "../values/value.ts";
import { ctyNumber, ctyString } from "../values/cty-type.ts";
import { defineSchema } from "../framework/schema.ts";
import { type AttributeChanges, attributeAccess } from "../framework/attribute-access.ts";
import { integerBetween, stringMatches, stringOneOf } from "../framework/validators.ts";
import { renewsOnChange } from "../framework/plan-modifiers.ts";
import { userNameValidators } from "./iam-user-name.ts";
import { pgpKeyValidator } from "./pgp-encryption.ts";

export const PASSWORD_SERVICES = ["codecommit.amazonaws.com", "cassandra.amazonaws.com"] as const;
export const API_KEY_SERVICES = ["bedrock.amazonaws.com", "logs.amazonaws.com"] as const;
export const SUPPORTED_SERVICES: readonly string[] = [...PASSWORD_SERVICES, ...API_KEY_SERVICES];
const SETTABLE_STATUSES = ["Active", "Inactive"];
export const SERVICE_NAME_PATTERN = /^[^\s:]+$/;
/** Where the secret goes: in the clear, or encrypted to pgp_key with the key's fingerprint. */
export const SECRET_ATTRIBUTES = [
  "service_password",
  "service_credential_secret",
  "encrypted_service_password",
  "encrypted_service_credential_secret",
  "key_fingerprint",
] as const;
export type SecretAttribute = (typeof SECRET_ATTRIBUTES)[number];

export const credentialSchema = defineSchema({
  version: 0,
  block: {
    description: "Manages an IAM service-specific credential: a password for CodeCommit or Amazon Keyspaces, or an API key for Bedrock or CloudWatch Logs.",
    attributes: {
      id: { type: ctyString, computed: true, stable: true, description: "`service_name:user_name:service_specific_credential_id`." },
      service_name: {
        type: ctyString,
        required: true,
        requiresReplace: true,
        description: `The AWS service the credential can be used with: ${SUPPORTED_SERVICES.map((s) => `\`${s}\``).join(", ")}.`,
        // Unknown services only draw a plan warning (AWS may add some), but an empty or spaced name never works.
        validators: [stringMatches(SERVICE_NAME_PATTERN, "is not a service name: expected one such as codecommit.amazonaws.com")],
      },
      user_name: {
        type: ctyString,
        required: true,
        requiresReplace: true,
        description: "The IAM user the credential belongs to. It has the user's permissions, for the one service only.",
        validators: userNameValidators,
      },
      status: {
        type: ctyString,
        optional: true,
        computed: true,
        default: known("Active"),
        description: "`Active` or `Inactive`. IAM reports `Expired` for an API key past its expiration date; that status cannot be set.",
        validators: [
          stringOneOf(SETTABLE_STATUSES, (s) =>
            s === "Expired" ? "IAM sets Expired by itself when an API key passes its expiration date; it cannot be set." : undefined,
          ),
        ],
      },
      credential_age_days: {
        type: ctyNumber,
        optional: true,
        requiresReplace: true,
        description: "Days until the API key expires, from 1 to 36600. Only for Bedrock and CloudWatch Logs API keys; without it the key never expires.",
        validators: [integerBetween(1, 36600)],
      },
      reset_trigger: {
        type: ctyString,
        optional: true,
        description:
          "Any value; changing it to another value resets the password in place (ResetServiceSpecificCredential): the credential keeps its id, user and status, and " +
          "`service_password` gets the new password. Pair it with a rotation schedule, such as `time_rotating.every_90_days.id`, or bump it by hand. Setting it when the " +
          "credential is created, or removing it, does nothing in IAM. API keys (Bedrock, CloudWatch Logs) cannot be reset: for them a change replaces the key.",
        planModifiers: [renewsOnChange(secretTargets, { exceptRemoval: true })],
      },
      early_renewal_days: {
        type: ctyNumber,
        optional: true,
        description:
          "For an API key with `credential_age_days`: once a plan runs within this many days of `expiration_date`, the key is planned for replacement. " +
          "The time is IAM's (the Date of its answers), not only this machine's clock. Must be smaller than `credential_age_days`.",
        validators: [integerBetween(1, 36599)],
      },
      pgp_key: {
        type: ctyString,
        optional: true,
        requiresReplace: true,
        description:
          'A base64-encoded OpenPGP public key (`gpg --export KEY | base64`, or `filebase64("key.gpg")`). The password or API key secret is then encrypted to it and stored only ' +
          "as `encrypted_service_password` or `encrypted_service_credential_secret`; `service_password` and `service_credential_secret` stay null. `keybase:` names are not supported.",
        validators: [pgpKeyValidator],
      },
      service_password: {
        type: ctyString,
        computed: true,
        sensitive: true,
        stable: true,
        description:
          "The password (CodeCommit, Keyspaces). IAM returns it only when the credential is created or reset, so it is null after an import, and with `pgp_key`.",
      },
      service_credential_secret: {
        type: ctyString,
        computed: true,
        sensitive: true,
        stable: true,
        description:
          "The API key secret (Bedrock, CloudWatch Logs). IAM returns it only when the credential is created, so it is null after an import, and with `pgp_key`.",
      },
      encrypted_service_password: {
        type: ctyString,
        computed: true,
        stable: true,
        description: "With `pgp_key`: the password, encrypted to the key, as a base64-encoded binary OpenPGP message (`base64 -d | gpg --decrypt`).",
      },
      encrypted_service_credential_secret: {
        type: ctyString,
        computed: true,
        stable: true,
        description: "With `pgp_key`: the API key secret, encrypted to the key, as a base64-encoded binary OpenPGP message.",
      },
      key_fingerprint: {
        type: ctyString,
        computed: true,
        stable: true,
        description: "With `pgp_key`: the fingerprint of the key the secret is encrypted to.",
      },
      service_user_name: {
        type: ctyString,
        computed: true,
        stable: true,
        description: "The user name to sign in with, such as `jane-at-123456789012` (password services).",
      },
      service_specific_credential_id: { type: ctyString, computed: true, stable: true, description: "The credential's id, such as `ACCAEXAMPLE123EXAMPLE`." },
      service_credential_alias: { type: ctyString, computed: true, stable: true, description: "The public part of an API key (Bedrock, CloudWatch Logs)." },
      create_date: { type: ctyString, computed: true, stable: true, description: "When the credential was created, in RFC 3339 (`2025-10-01T12:34:56Z`)." },
      expiration_date: {
        type: ctyString,
        computed: true,
        stable: true,
        description: "When the API key expires, in RFC 3339; null for credentials that never expire.",
      },
    },
  },
});

export const credentialAttributes = attributeAccess(credentialSchema.block);
export type CredentialChanges = AttributeChanges<typeof credentialSchema.block>;

/** The attributes a new secret goes to, for the planned object's service and pgp_key. */
export function secretTargets(object: Value): readonly SecretAttribute[] {
  const planned = credentialAttributes(object);
  const service = planned.string("service_name") ?? "";
  const encrypted = !planned.isNull("pgp_key");
  const password = (PASSWORD_SERVICES as readonly string[]).includes(service);
  const apiKey = (API_KEY_SERVICES as readonly string[]).includes(service);
  const plain: readonly ("service_password" | "service_credential_secret")[] = password
    ? ["service_password"]
    : apiKey
      ? ["service_credential_secret"]
      : ["service_password", "service_credential_secret"];
  if (!encrypted) return plain;
  return [...plain.map((n) => `encrypted_${n}` as const), "key_fingerprint"];
}
