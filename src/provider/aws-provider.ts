/**
 * The `aws` provider block, with the argument names AWS provider users (and LocalStack's
 * guides) already write, and its configuration into an IAM client.
 */
import type { Value } from "../protocol/value.ts";
import { asBool, asList, asMap, asNumber, asString, getAttribute, isNull, containsUnknown } from "../protocol/value.ts";
import { ctyBool, ctyList, ctyMap, ctyNumber, ctyString } from "../protocol/cty-type.ts";
import type { Provider } from "../framework/provider.ts";
import type { AttributeSchema, BlockSchema } from "../framework/schema.ts";
import { Diagnostics } from "../framework/diagnostics.ts";
import { integerBetween, stringMatches, validUrl } from "../framework/validators.ts";
import { IamApi } from "../aws/iam-api.ts";
import type { AwsSettings } from "../aws/aws-settings.ts";
import { DEFAULT_MAX_RETRIES, endpointFromEnv, expandHome, looksLikeRegion, parseDuration, propagationTimeoutFromEnv, regionFromEnv, regionFromSharedConfig } from "../aws/aws-settings.ts";
import { awsErrorCode, awsErrorMessage, isAuthFailure } from "../aws/aws-errors.ts";
import { createLogger, levelFromEnv } from "../transport/logger.ts";
import { iamServiceSpecificCredential } from "../resources/iam-service-specific-credential.ts";
import { iamUser } from "../resources/iam-user.ts";

const str = (description: string, extra: Partial<AttributeSchema> = {}): AttributeSchema => ({ type: ctyString, optional: true, description, ...extra });
const flag = (description: string): AttributeSchema => ({ type: ctyBool, optional: true, description });

// Endpoints this provider calls; the other service keys of the AWS provider's `endpoints` block
// are accepted (and ignored) so provider blocks copied from LocalStack's guides, which set
// endpoints for a couple of dozen services, work unchanged.
const USED_ENDPOINTS = ["iam", "sts"] as const;
const IGNORED_ENDPOINTS = `
  accessanalyzer account accountaccess acm acmpca agentregistry amg amp amplify apigateway apigatewayv2
  appautoscaling appconfig appfabric appflow appintegrations appintegrationsservice applicationautoscaling
  applicationinsights applicationsignals appmesh appregistry apprunner appstream appsync arcregionswitch
  arczonalshift athena auditmanager autoscaling autoscalingplans backup batch bcmdataexports beanstalk bedrock
  bedrockagent bedrockagentcore bedrockruntime billing budgets ce chatbot chime chimesdkmediapipelines
  chimesdkvoice cleanrooms cloud9 cloudcontrol cloudcontrolapi cloudformation cloudfront
  cloudfrontkeyvaluestore cloudhsm cloudhsmv2 cloudsearch cloudtrail cloudwatch cloudwatchevents
  cloudwatchevidently cloudwatchlog cloudwatchlogs cloudwatchobservabilityaccessmanager cloudwatchrum
  codeartifact codebuild codecatalyst codecommit codeconnections codedeploy codeguruprofiler codegurureviewer
  codepipeline codestarconnections codestarnotifications cognitoidentity cognitoidentityprovider cognitoidp
  comprehend computeoptimizer config configservice connect connectcases controltower costandusagereportservice
  costexplorer costoptimizationhub cur customerprofiles databasemigration databasemigrationservice databrew
  dataexchange datapipeline datasync datazone dax deploy detective devicefarm devopsagent devopsguru
  directconnect directoryservice directoryservicedata dlm dms docdb docdbelastic drs ds dsql dynamodb ec2 ecr
  ecrpublic ecs efs eks elasticache elasticbeanstalk elasticloadbalancing elasticloadbalancingv2
  elasticsearch elasticsearchservice elastictranscoder elb elbv2 emr emrcontainers emrserverless es
  eventbridge eventbridgev2 events evidently evs finspace firehose fis fms fsx gamelift glacier
  globalaccelerator glue gluedatabrew grafana greengrass groundstation guardduty healthlake identitystore
  imagebuilder inspector inspector2 inspectorv2 interconnect internetmonitor invoicing iot iotanalytics
  iotevents ivs ivschat kafka kafkaconnect kendra keyspaces kinesis kinesisanalytics kinesisanalyticsv2
  kinesisvideo kms lakeformation lambda lambdacore lambdamicrovms launchwizard lex lexmodelbuilding
  lexmodelbuildingservice lexmodels lexmodelsv2 lexv2models licensemanager lightsail location
  locationservice logs m2 macie macie2 mailmanager managedgrafana mediaconnect mediaconvert medialive
  mediapackage mediapackagev2 mediapackagevod mediastore mediastoredata mediatailor memorydb mgn mpa mq msk
  mwaa mwaaserverless neptune neptunegraph networkfirewall networkflowmonitor networkmanager networkmonitor
  networksecuritymanager notifications notificationscontacts oam observabilityadmin odb opensearch
  opensearchingestion opensearchserverless opensearchservice organizations osis outposts paymentcryptography
  pcaconnectorad pcs pinpoint pinpointsmsvoicev2 pipes polly pricing prometheus prometheusservice qbusiness
  qldb quicksight ram rbin rds rdsdata rdsdataservice recyclebin redshift redshiftdata redshiftdataapiservice
  redshiftserverless rekognition resiliencehub resiliencehubv2 resourceexplorer2 resourcegroups
  resourcegroupstagging resourcegroupstaggingapi rolesanywhere route53 route53domains route53profiles
  route53recoverycontrolconfig route53recoveryreadiness route53resolver rum s3 s3api s3control s3files
  s3outposts s3tables s3vectors sagemaker savingsplans scheduler schemas sdb secretsmanager securityhub
  securitylake serverlessapplicationrepository serverlessapprepo serverlessrepo servicecatalog
  servicecatalogappregistry servicediscovery servicequotas ses sesv2 sfn shield signer simpledb sns sqs ssm
  ssmcontacts ssmincidents ssmquicksetup ssmsap sso ssoadmin stepfunctions storagegateway swf synthetics
  taxsettings timestreaminfluxdb timestreamquery timestreamwrite transcribe transcribeservice transfer uxc
  verifiedpermissions vpclattice waf wafregional wafv2 wellarchitected workmail workspaces workspacesweb xray
`.trim().split(/\s+/);

const IGNORED_ENDPOINT = str("Accepted for compatibility with AWS provider configurations; this provider does not call this service.");

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
          ...IGNORED_ENDPOINTS.map((s) => [s, IGNORED_ENDPOINT]),
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
      const region = asString(getAttribute(config, "region"));
      const skip = getAttribute(config, "skip_region_validation");
      // An unknown skip_region_validation may turn out true: check again at configure.
      if (region !== undefined && (isNull(skip) || asBool(skip) === false) && !looksLikeRegion(region)) invalidRegion(region, diags);
      // Known at validate time when both are written out (configure checks again with unknowns resolved).
      const accessKey = getAttribute(config, "access_key");
      const secretKey = getAttribute(config, "secret_key");
      if (!containsUnknown(accessKey) && !containsUnknown(secretKey) && isNull(accessKey) !== isNull(secretKey)) {
        diags.error("Incomplete static credentials", "Set both access_key and secret_key, or neither.", [isNull(accessKey) ? "access_key" : "secret_key"]);
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
            credentialsProblem(err, settings, ctx.env) +
              " Check access_key/secret_key, the profile, or the endpoints; set skip_credentials_validation = true to skip this check.",
          );
        }
      }
      return diags.hasErrors() ? undefined : api;
    },
  };
}

function credentialsProblem(err: unknown, settings: AwsSettings, env: NodeJS.ProcessEnv): string {
  if (awsErrorCode(err) === "CredentialsProviderError") {
    // The SDK only says "Could not load credentials from any providers": say where we looked.
    const where = settings.profile
      ? `profile ${JSON.stringify(settings.profile)} in ${settings.sharedCredentialsFiles[0] || env.AWS_SHARED_CREDENTIALS_FILE || "~/.aws/credentials"} and ${settings.sharedConfigFiles[0] || env.AWS_CONFIG_FILE || "~/.aws/config"}`
      : "access_key/secret_key, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the default profile of the shared files, and the other sources of the AWS default credential chain";
    return `No AWS credentials were found: the provider looked at ${where} (${awsErrorMessage(err)}).`;
  }
  if (isAuthFailure(err)) return `AWS did not accept the configured credentials (${awsErrorCode(err)}).`;
  return `The provider could not check its credentials with STS GetCallerIdentity at ${settings.endpoints.sts ?? "the default STS endpoint"}: ${awsErrorMessage(err)}`;
}

function invalidRegion(region: string, diags: Diagnostics): void {
  diags.error(
    "Invalid AWS region",
    `${JSON.stringify(region)} is not an AWS region name such as "us-east-1". Set skip_region_validation = true for endpoints that use their own region names.`,
    ["region"],
  );
}

function readSettings(config: Value, env: NodeJS.ProcessEnv, diags: Diagnostics): AwsSettings | undefined {
  const s = (name: string) => asString(getAttribute(config, name));
  const b = (name: string) => asBool(getAttribute(config, name)) ?? false;
  const list = (name: string) => (asList(getAttribute(config, name)) ?? []).map(asString).filter((x): x is string => Boolean(x));
  const firstBlock = (name: string) => asList(getAttribute(config, name))?.[0];

  const region = s("region") || regionFromEnv(env) || regionFromSharedConfig(env, s("profile"), list("shared_config_files"));
  if (!region) {
    const profile = s("profile") || env.AWS_PROFILE || "default";
    diags.error(
      "Missing AWS region",
      `Set region in the provider block, the AWS_REGION environment variable, or region in profile ${JSON.stringify(profile)} of the shared config file (${list("shared_config_files")[0] || env.AWS_CONFIG_FILE || "~/.aws/config"}).`,
      ["region"],
    );
    return undefined;
  }
  if (!b("skip_region_validation") && !looksLikeRegion(region)) {
    invalidRegion(region, diags);
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
    sharedConfigFiles: list("shared_config_files").map(expandHome),
    sharedCredentialsFiles: list("shared_credentials_files").map(expandHome),
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
