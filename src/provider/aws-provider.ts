/**
 * The `aws` provider block, with the argument names AWS provider users (and LocalStack's
 * guides) already write, and its configuration into an IAM client.
 */
import type { Value } from "../protocol/value.ts";
import { asBool, asList, asMap, asNumber, asString, getAttribute, isKnown, containsUnknown } from "../protocol/value.ts";
import { ctyBool, ctyList, ctyMap, ctyNumber, ctyString } from "../protocol/cty-type.ts";
import type { Provider } from "../framework/provider.ts";
import type { AttributeSchema, BlockSchema } from "../framework/schema.ts";
import { Diagnostics } from "../framework/diagnostics.ts";
import { integerBetween, stringMatches, validUrl } from "../framework/validators.ts";
import { IamApi } from "../aws/iam-api.ts";
import type { AwsSettings } from "../aws/aws-settings.ts";
import { DEFAULT_MAX_RETRIES, endpointFromEnv, looksLikeRegion, parseDuration, propagationTimeoutFromEnv, regionFromEnv } from "../aws/aws-settings.ts";
import { awsErrorCode, awsErrorMessage, isAuthFailure } from "../aws/aws-errors.ts";
import { createLogger, levelFromEnv } from "../transport/logger.ts";
import { iamServiceSpecificCredential } from "../resources/iam-service-specific-credential.ts";
import { iamUser } from "../resources/iam-user.ts";

const str = (description: string, extra: Partial<AttributeSchema> = {}): AttributeSchema => ({ type: ctyString, optional: true, description, ...extra });
const flag = (description: string): AttributeSchema => ({ type: ctyBool, optional: true, description });

// Endpoints this provider calls; the others are accepted (and ignored) so provider blocks
// copied from LocalStack's guides work unchanged.
const USED_ENDPOINTS = ["iam", "sts"] as const;
const IGNORED_ENDPOINTS = [
  "apigateway", "cloudformation", "cloudwatch", "cloudwatchlogs", "dynamodb", "ec2", "ecr", "ecs", "es", "elasticache",
  "events", "firehose", "kinesis", "kms", "lambda", "logs", "rds", "redshift", "route53", "s3", "secretsmanager",
  "ses", "sns", "sqs", "ssm", "stepfunctions",
];

export const providerSchema: BlockSchema = {
  description: "Manages AWS IAM service-specific credentials (CodeCommit and Keyspaces passwords, Bedrock API keys) and IAM users.",
  attributes: {
    region: str("AWS region, such as `us-east-1`. Falls back to `AWS_REGION`, then `AWS_DEFAULT_REGION`."),
    access_key: str("AWS access key id. Falls back to `AWS_ACCESS_KEY_ID`, a profile, or the default credential chain."),
    secret_key: str("AWS secret access key. Falls back to `AWS_SECRET_ACCESS_KEY`.", { sensitive: true }),
    token: str("Session token for temporary credentials. Falls back to `AWS_SESSION_TOKEN`.", { sensitive: true }),
    profile: str("Named profile from the shared configuration files. Falls back to `AWS_PROFILE`."),
    shared_config_files: { type: ctyList(ctyString), optional: true, description: "Shared config files (the first one is used). Default `~/.aws/config`." },
    shared_credentials_files: { type: ctyList(ctyString), optional: true, description: "Shared credentials files (the first one is used). Default `~/.aws/credentials`." },
    max_retries: { type: ctyNumber, optional: true, description: `Retries of a throttled or failed AWS call before giving up. Default ${DEFAULT_MAX_RETRIES}.`, validators: [integerBetween(0, 100)] },
    skip_credentials_validation: flag("Skip checking the credentials with STS GetCallerIdentity when the provider is configured."),
    skip_requesting_account_id: flag("Skip asking AWS for the account id."),
    skip_metadata_api_check: flag("Do not ask the EC2 instance metadata service for credentials."),
    skip_region_validation: flag("Accept any region name, for AWS-compatible endpoints with their own region names."),
    s3_use_path_style: flag("Accepted for compatibility with LocalStack provider blocks; unused."),
    insecure: flag("Accepted for compatibility; TLS certificates are always verified."),
    allowed_account_ids: { type: ctyList(ctyString), optional: true, description: "Only these account ids may be managed." },
    forbidden_account_ids: { type: ctyList(ctyString), optional: true, description: "These account ids may not be managed." },
  },
  blocks: {
    assume_role: {
      nesting: "list",
      maxItems: 1,
      description: "Assume an IAM role (through STS AssumeRole) before managing resources.",
      block: {
        attributes: {
          role_arn: str("ARN of the role to assume.", { validators: [stringMatches(/^arn:[\w-]+:iam::\d{12}:role\/.+/, "is not an IAM role ARN (arn:aws:iam::123456789012:role/name)")] }),
          session_name: str("Session name for the assumed role."),
          external_id: str("External id the role's trust policy requires."),
          duration: str("How long the role session lasts, as a duration such as `1h` or `15m`.", { validators: [durationValidator()] }),
        },
      },
    },
    endpoints: {
      nesting: "list",
      description: "Custom service endpoints, such as LocalStack's `http://localhost:4566`.",
      block: {
        attributes: Object.fromEntries([
          ...USED_ENDPOINTS.map((s) => [s, str(`Endpoint URL for ${s.toUpperCase()}. Falls back to \`AWS_ENDPOINT_URL_${s.toUpperCase()}\`, then \`AWS_ENDPOINT_URL\`.`, { validators: [validUrl()] })]),
          ...IGNORED_ENDPOINTS.map((s) => [s, str(`Accepted for compatibility; this provider does not call ${s}.`)]),
        ]),
      },
    },
    default_tags: {
      nesting: "list",
      maxItems: 1,
      description: "Tags added to every taggable resource of this provider (see `tags_all`).",
      block: { attributes: { tags: { type: ctyMap(ctyString), optional: true, description: "Tags to add." } } },
    },
  },
};

function durationValidator() {
  return {
    validate(value: Value, path: readonly (string | number | { key: string })[], diags: Diagnostics) {
      const s = asString(value);
      if (s !== undefined && parseDuration(s) === undefined) diags.error("Invalid duration", `${JSON.stringify(s)} is not a duration such as "1h" or "15m".`, path);
    },
  };
}

export function awsProvider(): Provider<IamApi> {
  return {
    typeName: "aws",
    schema: providerSchema,
    resources: [iamServiceSpecificCredential, iamUser],
    validateConfig(config, diags) {
      const region = getAttribute(config, "region");
      const skip = getAttribute(config, "skip_region_validation");
      const r = asString(region);
      if (r !== undefined && asBool(skip) !== true && isKnown(skip) !== false && !looksLikeRegion(r)) {
        diags.error("Invalid AWS region", `${JSON.stringify(r)} is not an AWS region name such as "us-east-1". Set skip_region_validation = true for endpoints that use their own region names.`, ["region"]);
      }
    },
    async configure(config, ctx, diags) {
      const settings = readSettings(config, ctx.env, diags);
      if (!settings) return undefined;
      const logger = createLogger({ level: levelFromEnv(ctx.env), module: "provider.aws" });
      const api = new IamApi(settings, logger);
      // Validating credentials costs an STS call per provider process; users opt out with
      // skip_credentials_validation, as LocalStack setups do.
      if (!settings.skipCredentialsValidation && !containsUnknown(config)) {
        try {
          const identity = await api.getCallerIdentity(ctx.signal);
          const allowed = asList(getAttribute(config, "allowed_account_ids"))?.map(asString);
          const forbidden = asList(getAttribute(config, "forbidden_account_ids"))?.map(asString);
          if (allowed && allowed.length > 0 && !allowed.includes(identity.account)) {
            diags.error("Account not allowed", `The credentials belong to account ${identity.account}, which is not in allowed_account_ids.`, ["allowed_account_ids"]);
          }
          if (forbidden?.includes(identity.account)) {
            diags.error("Account forbidden", `The credentials belong to account ${identity.account}, which is in forbidden_account_ids.`, ["forbidden_account_ids"]);
          }
        } catch (err) {
          diags.error(
            "Invalid AWS credentials",
            (isAuthFailure(err)
              ? `AWS did not accept the configured credentials (${awsErrorCode(err)}).`
              : `The provider could not check its credentials with STS GetCallerIdentity at ${settings.endpoints.sts ?? "the default STS endpoint"}: ${awsErrorMessage(err)}`) +
              " Check access_key/secret_key, the profile, or the endpoints; set skip_credentials_validation = true to skip this check.",
          );
        }
      }
      return diags.hasErrors() ? undefined : api;
    },
  };
}

function readSettings(config: Value, env: NodeJS.ProcessEnv, diags: Diagnostics): AwsSettings | undefined {
  const s = (name: string) => asString(getAttribute(config, name));
  const b = (name: string) => asBool(getAttribute(config, name)) ?? false;
  const list = (name: string) => (asList(getAttribute(config, name)) ?? []).map(asString).filter((x): x is string => Boolean(x));
  const firstBlock = (name: string) => asList(getAttribute(config, name))?.[0];

  const region = s("region") || regionFromEnv(env);
  if (!region) {
    diags.error("Missing AWS region", "Set region in the provider block, or the AWS_REGION environment variable.", ["region"]);
    return undefined;
  }
  if (!b("skip_region_validation") && !looksLikeRegion(region)) {
    diags.error("Invalid AWS region", `${JSON.stringify(region)} is not an AWS region name such as "us-east-1".`, ["region"]);
    return undefined;
  }

  const accessKey = s("access_key") || env.AWS_ACCESS_KEY_ID;
  const secretKey = s("secret_key") || env.AWS_SECRET_ACCESS_KEY;
  const token = s("token") || env.AWS_SESSION_TOKEN;
  if (Boolean(s("access_key")) !== Boolean(s("secret_key"))) {
    diags.error("Incomplete static credentials", "Set both access_key and secret_key, or neither.", [s("access_key") ? "secret_key" : "access_key"]);
    return undefined;
  }
  const useStatic = Boolean(accessKey && secretKey) && !(s("profile") && !s("access_key"));

  const endpointsBlock = firstBlock("endpoints");
  const endpoint = (name: "iam" | "sts") => asString(getAttribute(endpointsBlock, name)) || endpointFromEnv(env, name === "iam" ? "IAM" : "STS");

  const role = firstBlock("assume_role");
  const roleArn = asString(getAttribute(role, "role_arn"));
  const duration = asString(getAttribute(role, "duration"));
  const defaultTags = asMap(getAttribute(firstBlock("default_tags"), "tags"));

  return {
    region,
    ...(useStatic ? { staticCredentials: { accessKeyId: accessKey!, secretAccessKey: secretKey!, ...(token ? { sessionToken: token } : {}) } } : {}),
    ...(s("profile") || env.AWS_PROFILE ? { profile: s("profile") || env.AWS_PROFILE } : {}),
    sharedConfigFiles: list("shared_config_files"),
    sharedCredentialsFiles: list("shared_credentials_files"),
    ...(roleArn
      ? {
          assumeRole: {
            roleArn,
            ...(asString(getAttribute(role, "session_name")) ? { sessionName: asString(getAttribute(role, "session_name")) } : {}),
            ...(asString(getAttribute(role, "external_id")) ? { externalId: asString(getAttribute(role, "external_id")) } : {}),
            ...(duration ? { durationSeconds: parseDuration(duration) } : {}),
          },
        }
      : {}),
    maxRetries: asNumber(getAttribute(config, "max_retries")) ?? DEFAULT_MAX_RETRIES,
    endpoints: { ...(endpoint("iam") ? { iam: endpoint("iam") } : {}), ...(endpoint("sts") ? { sts: endpoint("sts") } : {}) },
    skipCredentialsValidation: b("skip_credentials_validation"),
    skipRequestingAccountId: b("skip_requesting_account_id"),
    skipMetadataApiCheck: b("skip_metadata_api_check"),
    propagationTimeoutMs: propagationTimeoutFromEnv(env),
    defaultTags: Object.fromEntries([...(defaultTags ?? new Map())].map(([k, v]) => [k, asString(v) ?? ""])),
  };
}
