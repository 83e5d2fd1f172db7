/**
 * The `aws` provider block: every argument and block of the official AWS provider's (v6)
 * configuration, so that existing provider blocks work unchanged. Arguments that change how
 * IAM or STS is called, or what aws_iam_user does with tags, are honoured; the others are
 * accepted and their descriptions say why they have no effect here.
 */
import type { KnownValue } from "../values/value.ts";
import { asList, asString } from "../values/value.ts";
import { ctyBool, ctyList, ctyMap, ctyNumber, ctySet, ctyString } from "../values/cty-type.ts";
import type { AttributeSchema, BlockSchema } from "../framework/schema.ts";
import type { AttributePath, Diagnostics } from "../framework/diagnostics.ts";
import type { Validator } from "../framework/validators.ts";
import { integerBetween, stringLengthBetween, stringMatches, stringOneOf, validUrl } from "../framework/validators.ts";
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_MAX_RETRIES, parseDuration } from "../aws/aws-settings.ts";

const str = (description: string, extra: Partial<AttributeSchema> = {}): AttributeSchema => ({ type: ctyString, optional: true, description, ...extra });
const flag = (description: string): AttributeSchema => ({ type: ctyBool, optional: true, description });
const stringSet = (description: string, extra: Partial<AttributeSchema> = {}): AttributeSchema => ({
  type: ctySet(ctyString),
  optional: true,
  description,
  ...extra,
});

/** Said of arguments that only concern services this provider never calls. */
const NOT_CALLED = "Accepted so that provider blocks written for the official AWS provider work unchanged; it has no effect here because";

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
`
  .trim()
  .split(/\s+/);

const IGNORED_ENDPOINT = str("Accepted for compatibility with AWS provider configurations; this provider does not call this service.");

// --- validators ---------------------------------------------------------------------------

/** Go durations as the AWS provider takes them, within STS's 15 minutes to 12 hours. */
function durationValidator(): Validator {
  return {
    validate(value, path, diags) {
      const s = asString(value);
      if (s === undefined) return;
      const seconds = parseDuration(s);
      if (seconds === undefined) diags.error("Invalid duration", `${JSON.stringify(s)} is not a duration such as "1h" or "15m".`, path);
      else if (seconds < 900 || seconds > 43_200)
        diags.error("Invalid duration", `${JSON.stringify(s)} is outside what STS allows for a role session: 15m to 12h.`, path);
    },
  };
}

/** A proxy URL: http:// or https:// with a host. An empty string means "no proxy". */
function proxyUrlValidator(): Validator {
  return {
    validate(value, path, diags) {
      const s = asString(value);
      if (s === undefined || s === "") return;
      if (!isProxyUrl(s))
        diags.error("Invalid proxy URL", `${JSON.stringify(redactUserInfo(s))} is not a proxy URL such as "http://proxy.example.com:3128".`, path);
    },
  };
}

export function isProxyUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** Proxy URLs may carry a password: never show it in a diagnostic. */
export function redactUserInfo(s: string): string {
  return s.replace(/^([a-z][\w+.-]*:\/\/)[^/@]*@/i, "$1…@");
}

function jsonValidator(): Validator {
  return {
    validate(value, path, diags) {
      const s = asString(value);
      if (s === undefined) return;
      try {
        JSON.parse(s);
      } catch {
        diags.error("Invalid policy", "policy must be a JSON policy document.", path);
      }
    },
  };
}

/** Applies `inner` to each element of a list or set (whose elements have no path of their own). */
function eachElement(inner: Validator): Validator {
  return {
    validate(value, path: AttributePath, diags: Diagnostics) {
      (asList(value) ?? []).forEach((item) => {
        if (item.kind === "known") inner.validate(item as KnownValue, path, diags);
      });
    },
  };
}

// The account part may be empty or "aws" (AWS managed policies: arn:aws:iam::aws:policy/…).
const ARN = stringMatches(/^arn:[\w-]+:[\w-]+:[\w-]*:[\w-]*:.+/, "is not an ARN (arn:aws:iam::123456789012:policy/name)");
const ROLE_ARN = stringMatches(/^arn:[\w-]+:iam::\d{12}:role\/.+/, "is not an IAM role ARN (arn:aws:iam::123456789012:role/name)");
const SESSION_NAME = [stringLengthBetween(2, 64), stringMatches(/^[\w+=,.@-]*$/, "may only contain letters, digits and +=,.@_-")];

// --- the schema ---------------------------------------------------------------------------

export const providerSchema: BlockSchema = {
  description: "Manages AWS IAM service-specific credentials (CodeCommit and Keyspaces passwords, Bedrock API keys) and IAM users.",
  attributes: {
    region: str("AWS region, such as `us-east-1`. Falls back to `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region`."),
    access_key: str("AWS access key id. Falls back to `AWS_ACCESS_KEY_ID`, a profile, or the default credential chain."),
    secret_key: str("AWS secret access key. Falls back to `AWS_SECRET_ACCESS_KEY`.", { sensitive: true }),
    token: str("Session token for temporary credentials. Falls back to `AWS_SESSION_TOKEN`.", { sensitive: true }),
    profile: str("Named profile from the shared configuration files. Falls back to `AWS_PROFILE`."),
    shared_config_files: { type: ctyList(ctyString), optional: true, description: "Shared config files (the first one is used). Default `~/.aws/config`." },
    shared_credentials_files: {
      type: ctyList(ctyString),
      optional: true,
      description: "Shared credentials files (the first one is used). Default `~/.aws/credentials`.",
    },
    max_retries: {
      type: ctyNumber,
      optional: true,
      description: `Retries of a throttled or failed AWS call before giving up. Default ${DEFAULT_MAX_RETRIES}. However many are left, no retry starts that could end more than TF_AWS_IAM_CALL_TIMEOUT seconds (default ${DEFAULT_CALL_TIMEOUT_MS / 1000}) after the call began.`,
      validators: [integerBetween(0, 100)],
    },
    retry_mode: str(
      "How failed calls are retried: `standard` (capped, jittered exponential backoff, the default) or `adaptive` (the same, plus a client-side rate limit that slows all IAM and STS calls after throttling and recovers as calls succeed). Falls back to `AWS_RETRY_MODE`.",
      { validators: [stringOneOf(["standard", "adaptive"])] },
    ),
    token_bucket_rate_limiter_capacity: {
      type: ctyNumber,
      optional: true,
      description:
        "Capacity of a retry quota shared by all calls: each retry costs 5 tokens (10 after a timeout) and each success returns 1; when the bucket is empty, failures are returned without retrying. Unset or 0: no quota, as in the official provider.",
      validators: [integerBetween(0, 1_000_000)],
    },
    sts_region: str(
      "Region that STS calls (credential validation, `assume_role`, `assume_role_with_web_identity`) are made in and signed for. Default: `region`.",
    ),
    http_proxy: str(
      "URL of a proxy for HTTP requests to AWS, such as `http://proxy.example.com:3128`. Falls back to `HTTP_PROXY`, then `http_proxy`. When it is set and `https_proxy` is not, it also carries HTTPS requests (with a warning); an empty string means no proxy.",
      { validators: [proxyUrlValidator()] },
    ),
    https_proxy: str(
      "URL of a proxy for HTTPS requests to AWS; requests are tunnelled with HTTP CONNECT. Falls back to `HTTPS_PROXY`, then `https_proxy`. An empty string means no proxy.",
      { validators: [proxyUrlValidator()] },
    ),
    no_proxy: str(
      "Comma-separated hosts, domains (`.example.com`), IP addresses, `host:port` or `*` that are reached directly, without a proxy. Falls back to `NO_PROXY`, then `no_proxy`.",
    ),
    custom_ca_bundle: str(
      "PEM file of the root (and intermediate) certificates trusted for HTTPS connections to AWS and the proxy, instead of Node.js's built-in ones. Falls back to `AWS_CA_BUNDLE`.",
    ),
    insecure: flag("Skip verifying the TLS certificates of AWS endpoints (for local endpoints with self-signed certificates). Default `false`."),
    use_fips_endpoint: flag(
      "Call the FIPS endpoints of IAM and STS (such as `iam-fips.amazonaws.com`). Ignored for a service whose endpoint is set in `endpoints` or the environment. Falls back to `AWS_USE_FIPS_ENDPOINT`.",
    ),
    use_dualstack_endpoint: flag(
      "Call the dual-stack (IPv4 and IPv6) endpoints of IAM and STS. Ignored for a service whose endpoint is set in `endpoints` or the environment. Falls back to `AWS_USE_DUALSTACK_ENDPOINT`.",
    ),
    ec2_metadata_service_endpoint: str(
      "Address of the EC2 instance metadata service (IMDS), such as `http://169.254.169.254`, asked for credentials when no other source has them. Falls back to `AWS_EC2_METADATA_SERVICE_ENDPOINT`.",
      { validators: [validUrl()] },
    ),
    ec2_metadata_service_endpoint_mode: str(
      "`IPv4` (`http://169.254.169.254`) or `IPv6` (`http://[fd00:ec2::254]`): which default IMDS address to use when `ec2_metadata_service_endpoint` is not set. Falls back to `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`.",
      { validators: [stringOneOf(["IPv4", "IPv6"])] },
    ),
    skip_credentials_validation: flag("Skip checking the credentials with STS GetCallerIdentity when the provider is configured."),
    skip_requesting_account_id: flag("Skip asking AWS for the account id."),
    skip_metadata_api_check: flag("Do not ask the EC2 instance metadata service for credentials."),
    skip_region_validation: flag("Accept any region name, for AWS-compatible endpoints with their own region names."),
    user_agent: {
      type: ctyList(ctyString),
      optional: true,
      description:
        "Product details, such as `my-tool/1.0 (team)`, appended to the User-Agent header of every IAM and STS call. `TF_APPEND_USER_AGENT` is appended too.",
    },
    allowed_account_ids: { type: ctyList(ctyString), optional: true, description: "Only these account ids may be managed." },
    forbidden_account_ids: { type: ctyList(ctyString), optional: true, description: "These account ids may not be managed." },
    s3_use_path_style: flag(`${NOT_CALLED} it only concerns how S3 bucket addresses are formed, and this provider never calls S3.`),
    s3_us_east_1_regional_endpoint: str(
      `${NOT_CALLED} it only chooses S3's endpoint in us-east-1 (\`legacy\` or \`regional\`), and this provider never calls S3.`,
      {
        validators: [stringOneOf(["legacy", "regional"])],
      },
    ),
    tag_policy_compliance: str(
      `${NOT_CALLED} checking tags against the organization's tag policies needs the Resource Groups Tagging API, which this provider does not call; tags are sent to IAM as configured. Valid values: \`error\`, \`warning\`, \`disabled\`.`,
      { validators: [stringOneOf(["error", "warning", "disabled"])] },
    ),
  },
  blocks: {
    assume_role: {
      nesting: "list",
      description:
        "Assume an IAM role (through STS AssumeRole) before managing resources. With several blocks, each role is assumed with the credentials of the one before (role chaining).",
      block: {
        attributes: {
          role_arn: str("ARN of the role to assume.", { validators: [ROLE_ARN] }),
          session_name: str("Session name for the assumed role.", { validators: SESSION_NAME }),
          external_id: str("External id the role's trust policy requires.", {
            validators: [stringLengthBetween(2, 1224), stringMatches(/^[\w+=,.@:/-]*$/, "may only contain letters, digits and +=,.@:/_-")],
          }),
          duration: str("How long the role session lasts, as a duration such as `1h` or `15m` (15m to 12h).", { validators: [durationValidator()] }),
          policy: str("An IAM policy (JSON) that further restricts the session's permissions.", { validators: [jsonValidator()] }),
          policy_arns: stringSet("ARNs of managed policies that further restrict the session's permissions.", { validators: [eachElement(ARN)] }),
          source_identity: str("Source identity of the principal assuming the role.", { validators: SESSION_NAME }),
          tags: { type: ctyMap(ctyString), optional: true, description: "Session tags." },
          transitive_tag_keys: stringSet("Keys of the session tags that pass on to sessions assumed from this one."),
        },
      },
    },
    assume_role_with_web_identity: {
      nesting: "list",
      maxItems: 1,
      description:
        "Assume an IAM role with an OpenID Connect token (through STS AssumeRoleWithWebIdentity) instead of other credentials; `assume_role` blocks, if any, are assumed on top of it.",
      block: {
        attributes: {
          role_arn: str("ARN of the role to assume. Falls back to `AWS_ROLE_ARN`.", { validators: [ROLE_ARN] }),
          session_name: str("Session name for the assumed role. Falls back to `AWS_ROLE_SESSION_NAME`.", { validators: SESSION_NAME }),
          web_identity_token: str("The OIDC token itself. Conflicts with `web_identity_token_file`. Falls back to `TF_AWS_WEB_IDENTITY_TOKEN`.", {
            sensitive: true,
            validators: [stringLengthBetween(4, 20_000)],
          }),
          web_identity_token_file: str(
            "File holding the OIDC token, read again each time the session is renewed. Falls back to `AWS_WEB_IDENTITY_TOKEN_FILE`.",
          ),
          duration: str("How long the role session lasts, as a duration such as `1h` or `15m` (15m to 12h).", { validators: [durationValidator()] }),
          policy: str("An IAM policy (JSON) that further restricts the session's permissions.", { validators: [jsonValidator()] }),
          policy_arns: stringSet("ARNs of managed policies that further restrict the session's permissions.", { validators: [eachElement(ARN)] }),
        },
      },
    },
    endpoints: {
      nesting: "list",
      description: "Custom service endpoints, such as LocalStack's `http://localhost:4566`.",
      block: {
        attributes: Object.fromEntries([
          ...USED_ENDPOINTS.map((s) => [
            s,
            str(`Endpoint URL for ${s.toUpperCase()}. Falls back to \`AWS_ENDPOINT_URL_${s.toUpperCase()}\`, then \`AWS_ENDPOINT_URL\`.`, {
              validators: [validUrl()],
            }),
          ]),
          ...IGNORED_ENDPOINTS.map((s) => [s, IGNORED_ENDPOINT]),
        ]),
      },
    },
    default_tags: {
      nesting: "list",
      maxItems: 1,
      description: "Tags added to every taggable resource of this provider (see `tags_all`).",
      block: {
        attributes: {
          tags: { type: ctyMap(ctyString), optional: true, description: "Tags to add. Variables `TF_AWS_DEFAULT_TAGS_<key>` add more; these win over them." },
        },
      },
    },
    ignore_tags: {
      nesting: "list",
      maxItems: 1,
      description:
        "Tags that Terraform neither shows nor removes (for example tags that other tools add): `aws_iam_user` leaves them out of `tags` and `tags_all` and never deletes them.",
      block: {
        attributes: {
          keys: stringSet("Tag keys to ignore. `TF_AWS_IGNORE_TAGS_KEYS` (comma-separated) adds more."),
          key_prefixes: stringSet("Tag key prefixes to ignore. `TF_AWS_IGNORE_TAGS_KEY_PREFIXES` (comma-separated) adds more."),
        },
      },
    },
  },
};
