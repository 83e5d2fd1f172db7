/**
 * data "aws_iam_service_specific_credentials": the service-specific credentials an IAM user
 * has, of all services or one, oldest first, each with the id `aws_iam_service_specific_credential`
 * imports by. IAM lists metadata only: no password or secret is ever read here.
 */
import type { Value } from "../values/value.ts";
import { known, listValue, objectValue, stringValue } from "../values/value.ts";
import { ctyList, ctyString, type CtyType } from "../values/cty-type.ts";
import type { DataSource } from "../framework/data-source.ts";
import type { RequestContext } from "../framework/request-context.ts";
import type { Diagnostics } from "../framework/diagnostics.ts";
import { defineSchema } from "../framework/schema.ts";
import { attributeAccess } from "../framework/attribute-access.ts";
import { stringMatches } from "../framework/validators.ts";
import type { IamApi, ServiceSpecificCredentialMetadata } from "../aws/iam-api.ts";
import { describeAwsError, isAbort, isNoSuchEntity } from "../aws/aws-errors.ts";
import { SUPPORTED_SERVICES } from "../resources/iam-service-specific-credential-schema.ts";
import { sameUserName, userNameValidators } from "../resources/iam-user-name.ts";
import { rfc3339 } from "../resources/rfc3339.ts";

const CREDENTIAL_ATTRIBUTES = {
  id: "`service_name:user_name:service_specific_credential_id`, the import id of `aws_iam_service_specific_credential`.",
  service_specific_credential_id: "The credential's id, such as `ACCAEXAMPLE123EXAMPLE`.",
  service_name: "The service the credential is for.",
  service_user_name: "The user name to sign in with (password services); null for API keys.",
  service_credential_alias: "The public part of an API key (Bedrock, CloudWatch Logs); null for passwords.",
  status: "`Active`, `Inactive`, or `Expired` for an API key past its expiration date.",
  create_date: "When the credential was created, in RFC 3339.",
  expiration_date: "When the API key expires, in RFC 3339; null for credentials that never expire.",
} as const;

const credentialType: CtyType = ["object", Object.fromEntries(Object.keys(CREDENTIAL_ATTRIBUTES).map((name) => [name, ctyString]))];

const credentialsSchema = defineSchema({
  version: 0,
  block: {
    description:
      "Lists the service-specific credentials of an IAM user (passwords and API keys, without their secrets), for example to find the ids to import.",
    attributes: {
      id: { type: ctyString, computed: true, description: "`service_name:user_name` with `service_name` set, else the user name." },
      user_name: { type: ctyString, required: true, description: "The IAM user whose credentials are listed.", validators: userNameValidators },
      service_name: {
        type: ctyString,
        optional: true,
        description: `Only list the credentials for this service, such as \`codecommit.amazonaws.com\`; all services when not set (${SUPPORTED_SERVICES.map((s) => `\`${s}\``).join(", ")}).`,
        validators: [stringMatches(/^[^\s:]+$/, "is not a service name: expected one such as codecommit.amazonaws.com")],
      },
      credentials: {
        type: ctyList(credentialType),
        computed: true,
        description: "The user's credentials, oldest first (by create date). Only metadata: IAM never lists passwords or secrets.",
        objectAttributeDescriptions: CREDENTIAL_ATTRIBUTES,
      },
    },
  },
});

const queryAttributes = attributeAccess(credentialsSchema.block);

export const iamServiceSpecificCredentials: DataSource<IamApi> = {
  typeName: "aws_iam_service_specific_credentials",
  schema: credentialsSchema,

  async read({ config, ...ctx }, resp) {
    const diags = resp.diagnostics;
    const configAttrs = queryAttributes(config);
    const userName = configAttrs.requireString("user_name");
    const serviceName = configAttrs.string("service_name");
    const found = await listCredentials(ctx, userName, serviceName, diags);
    if (!found) return;
    const credentials = [...found].sort(byCreateDate).map((c) => credentialObject(c, userName));
    resp.state = objectValue({
      id: known(serviceName ? `${serviceName}:${userName}` : userName),
      credentials: listValue(credentials),
    });
  },
};

/** Every credential, all pages; undefined after an error diagnostic. */
async function listCredentials(
  ctx: RequestContext<IamApi>,
  userName: string,
  serviceName: string | undefined,
  diags: Diagnostics,
): Promise<ServiceSpecificCredentialMetadata[] | undefined> {
  const api = ctx.client;
  let listed: ServiceSpecificCredentialMetadata[];
  try {
    listed = serviceName
      ? await api.listServiceSpecificCredentials(userName, serviceName, ctx.signal)
      : await api.listUserServiceSpecificCredentials(userName, SUPPORTED_SERVICES, ctx.signal);
  } catch (err) {
    // IAM answers NoSuchEntity for an unknown user and for a service it has no credentials for.
    if (isNoSuchEntity(err) && (await userMissing(ctx, userName, diags))) return undefined;
    if (diags.hasErrors()) return undefined;
    if (isNoSuchEntity(err) && serviceName) {
      diags.error(
        "Service not supported for service-specific credentials",
        `IAM does not list service-specific credentials for ${JSON.stringify(serviceName)} (${describeAwsError(err).replace(/\.$/, "")}). Supported services: ${SUPPORTED_SERVICES.join(", ")}.`,
        ["service_name"],
      );
      return undefined;
    }
    diags.error(
      ctx.signal.aborted || isAbort(err) ? "Interrupted" : "Could not list the service-specific credentials",
      `Listing the ${serviceName ? `${serviceName} ` : ""}credentials of IAM user ${userName} failed: ${describeAwsError(err)}`,
    );
    return undefined;
  }
  // Without a service filter, a look-alike that refuses the unfiltered list is asked service by
  // service, and "no such service" and "no such user" look alike there: an empty list is only
  // an answer for a user that exists.
  if (listed.length === 0 && (await userMissing(ctx, userName, diags))) return undefined;
  return diags.hasErrors() ? undefined : listed;
}

/** True, with an error naming the user, when IAM has no such user; a failed check is an error too. */
async function userMissing(ctx: RequestContext<IamApi>, userName: string, diags: Diagnostics): Promise<boolean> {
  try {
    await ctx.client.getUser(userName, ctx.signal);
    return false;
  } catch (err) {
    if (isNoSuchEntity(err)) {
      diags.error("IAM user not found", `IAM has no user named ${JSON.stringify(userName)}, so it has no service-specific credentials to list.`, ["user_name"]);
      return true;
    }
    diags.error("Could not look up the IAM user", `Checking that IAM user ${userName} exists failed: ${describeAwsError(err)}`, ["user_name"]);
    return false;
  }
}

/** Oldest first; credentials created in the same second keep one order (service, then id). */
function byCreateDate(a: ServiceSpecificCredentialMetadata, b: ServiceSpecificCredentialMetadata): number {
  const at = (c: ServiceSpecificCredentialMetadata) => (c.CreateDate ? new Date(c.CreateDate).getTime() : 0);
  return at(a) - at(b) || compare(a.ServiceName, b.ServiceName) || compare(a.ServiceSpecificCredentialId, b.ServiceSpecificCredentialId);
}

function compare(a: string | undefined, b: string | undefined): number {
  const x = a ?? "";
  const y = b ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * `userName` is the configured spelling: IAM matches user names regardless of case, and the
 * import id then names the user as the configuration does.
 */
function credentialObject(c: ServiceSpecificCredentialMetadata, userName: string): Value {
  const user = sameUserName(c.UserName, userName) ? userName : (c.UserName ?? userName);
  const id = c.ServiceSpecificCredentialId ?? "";
  return objectValue({
    id: known(`${c.ServiceName}:${user}:${id}`),
    service_specific_credential_id: known(id),
    service_name: stringValue(c.ServiceName),
    service_user_name: stringValue(c.ServiceUserName || undefined),
    service_credential_alias: stringValue(c.ServiceCredentialAlias || undefined),
    status: stringValue(c.Status),
    create_date: stringValue(rfc3339(c.CreateDate)),
    expiration_date: stringValue(rfc3339(c.ExpirationDate)),
  });
}
