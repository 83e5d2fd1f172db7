/**
 * The provider block and the environment combined into AwsSettings, with the precedence the
 * official provider has: an argument wins over its environment variable.
 */
import { readFileSync } from "node:fs";
import type { Value } from "../values/value.ts";
import { asBool, asList, asMap, asNumber, asString, getAttribute, isNull } from "../values/value.ts";
import type { Diagnostics } from "../framework/diagnostics.ts";
import type { AssumeRoleSettings, AwsSettings, ConnectionSettings, IgnoreTags, RetryMode, WebIdentitySettings } from "../aws/aws-settings.ts";
import {
  DEFAULT_MAX_RETRIES,
  endpointFromEnv,
  expandHome,
  looksLikeRegion,
  parseDuration,
  propagationTimeoutFromEnv,
  regionFromEnv,
  regionFromSharedConfig,
} from "../aws/aws-settings.ts";
import { isProxyUrl, redactUserInfo } from "./provider-schema.ts";

/** The default IMDS addresses of each endpoint mode. */
const IMDS_ADDRESSES = { IPv4: "http://169.254.169.254", IPv6: "http://[fd00:ec2::254]" } as const;

const strings = (v: Value) => (asList(v) ?? []).map(asString).filter((x): x is string => x !== undefined && x !== "");
const stringMap = (v: Value) => Object.fromEntries([...(asMap(v) ?? new Map())].map(([k, x]) => [k, asString(x) ?? ""]));
const envList = (text: string | undefined) =>
  (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export function invalidRegion(region: string, diags: Diagnostics, attribute = "region"): void {
  diags.error(
    "Invalid AWS region",
    `${JSON.stringify(region)} is not an AWS region name such as "us-east-1". Set skip_region_validation = true for endpoints that use their own region names.`,
    [attribute],
  );
}

export function readSettings(config: Value, env: NodeJS.ProcessEnv, diags: Diagnostics): AwsSettings | undefined {
  const s = (name: string) => asString(getAttribute(config, name));
  const b = (name: string) => asBool(getAttribute(config, name)) ?? false;
  const list = (name: string) => strings(getAttribute(config, name));
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
  const stsRegion = s("sts_region") || undefined;
  if (!b("skip_region_validation")) {
    if (!looksLikeRegion(region)) invalidRegion(region, diags);
    if (stsRegion && !looksLikeRegion(stsRegion)) invalidRegion(stsRegion, diags, "sts_region");
    if (diags.hasErrors()) return undefined;
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

  const assumeRoles = readAssumeRoles(asList(getAttribute(config, "assume_role")) ?? [], diags);
  const webIdentity = readWebIdentity(firstBlock("assume_role_with_web_identity"), env, diags);
  const retryMode = readRetryMode(s("retry_mode"), env, diags);
  const connection = readConnection(config, env, diags);
  const imdsEndpoint = readImdsEndpoint(config, env, diags);
  if (diags.hasErrors()) return undefined;

  const userAgent = [...list("user_agent"), ...(env.TF_APPEND_USER_AGENT?.trim() ? [env.TF_APPEND_USER_AGENT.trim()] : [])].join(" ");
  const capacity = asNumber(getAttribute(config, "token_bucket_rate_limiter_capacity"));
  const ignoreBlock = firstBlock("ignore_tags");
  const ignoreTags: IgnoreTags = {
    keys: [...strings(getAttribute(ignoreBlock, "keys")), ...envList(env.TF_AWS_IGNORE_TAGS_KEYS)],
    keyPrefixes: [...strings(getAttribute(ignoreBlock, "key_prefixes")), ...envList(env.TF_AWS_IGNORE_TAGS_KEY_PREFIXES)],
  };
  const envDefaultTags = Object.fromEntries(
    Object.entries(env)
      .filter(([k]) => k.startsWith("TF_AWS_DEFAULT_TAGS_") && k.length > "TF_AWS_DEFAULT_TAGS_".length)
      .map(([k, v]) => [k.slice("TF_AWS_DEFAULT_TAGS_".length), v ?? ""]),
  );

  return {
    region,
    ...(useStatic ? { staticCredentials: { accessKeyId: accessKey!, secretAccessKey: secretKey!, ...(token ? { sessionToken: token } : {}) } } : {}),
    ...(s("profile") || env.AWS_PROFILE ? { profile: s("profile") || env.AWS_PROFILE } : {}),
    sharedConfigFiles: list("shared_config_files").map(expandHome),
    sharedCredentialsFiles: list("shared_credentials_files").map(expandHome),
    ...(assumeRoles.length > 0 ? { assumeRoles } : {}),
    ...(webIdentity ? { webIdentity } : {}),
    ...(stsRegion ? { stsRegion } : {}),
    retryMode,
    ...(capacity ? { retryQuotaCapacity: capacity } : {}),
    connection,
    useFipsEndpoint: asBool(getAttribute(config, "use_fips_endpoint")) ?? env.AWS_USE_FIPS_ENDPOINT === "true",
    useDualstackEndpoint: asBool(getAttribute(config, "use_dualstack_endpoint")) ?? env.AWS_USE_DUALSTACK_ENDPOINT === "true",
    ...(userAgent ? { userAgent } : {}),
    ...(imdsEndpoint ? { imdsEndpoint } : {}),
    ...(ignoreTags.keys.length + ignoreTags.keyPrefixes.length > 0 ? { ignoreTags } : {}),
    maxRetries: asNumber(getAttribute(config, "max_retries")) ?? DEFAULT_MAX_RETRIES,
    endpoints: { ...(endpoint("iam") ? { iam: endpoint("iam") } : {}), ...(endpoint("sts") ? { sts: endpoint("sts") } : {}) },
    skipCredentialsValidation: b("skip_credentials_validation"),
    skipRequestingAccountId: b("skip_requesting_account_id"),
    skipMetadataApiCheck: b("skip_metadata_api_check"),
    propagationTimeoutMs: propagationTimeoutFromEnv(env),
    defaultTags: { ...envDefaultTags, ...stringMap(getAttribute(firstBlock("default_tags"), "tags")) },
  };
}

function readAssumeRoles(blocks: readonly Value[], diags: Diagnostics): AssumeRoleSettings[] {
  const roles: AssumeRoleSettings[] = [];
  blocks.forEach((block, i) => {
    const s = (name: string) => asString(getAttribute(block, name)) || undefined;
    const roleArn = s("role_arn");
    if (!roleArn) {
      // An empty block has always been accepted on its own; in a chain it is a mistake.
      if (blocks.length > 1) diags.error("Missing role_arn", "Each assume_role block of a chain needs role_arn.", ["assume_role", i]);
      else diags.warning("Empty assume_role block", "This assume_role block has no role_arn, so no role is assumed.", ["assume_role", i]);
      return;
    }
    const duration = s("duration");
    const policyArns = strings(getAttribute(block, "policy_arns"));
    const tags = stringMap(getAttribute(block, "tags"));
    const transitive = strings(getAttribute(block, "transitive_tag_keys"));
    roles.push({
      roleArn,
      ...(s("session_name") ? { sessionName: s("session_name") } : {}),
      ...(s("external_id") ? { externalId: s("external_id") } : {}),
      ...(duration ? { durationSeconds: parseDuration(duration) } : {}),
      ...(s("policy") ? { policy: s("policy") } : {}),
      ...(policyArns.length > 0 ? { policyArns } : {}),
      ...(s("source_identity") ? { sourceIdentity: s("source_identity") } : {}),
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
      ...(transitive.length > 0 ? { transitiveTagKeys: transitive } : {}),
    });
  });
  return roles;
}

function readWebIdentity(block: Value | undefined, env: NodeJS.ProcessEnv, diags: Diagnostics): WebIdentitySettings | undefined {
  if (block === undefined || isNull(block)) return undefined;
  const path = ["assume_role_with_web_identity", 0];
  const s = (name: string) => asString(getAttribute(block, name)) || undefined;
  const configuredToken = s("web_identity_token");
  const configuredFile = s("web_identity_token_file");
  if (configuredToken && configuredFile) {
    diags.error("Conflicting web identity token", "Set web_identity_token or web_identity_token_file, not both.", [...path, "web_identity_token_file"]);
    return undefined;
  }
  // The block's token source wins over both environment variables.
  const token = configuredToken ?? (configuredFile ? undefined : env.TF_AWS_WEB_IDENTITY_TOKEN || undefined);
  const tokenFile = configuredFile ?? (configuredToken ? undefined : env.AWS_WEB_IDENTITY_TOKEN_FILE || undefined);
  if (Boolean(token) === Boolean(tokenFile)) {
    diags.error(
      "Missing web identity token",
      token
        ? "Both TF_AWS_WEB_IDENTITY_TOKEN and AWS_WEB_IDENTITY_TOKEN_FILE are set; set web_identity_token or web_identity_token_file in the block to choose."
        : "Set web_identity_token or web_identity_token_file (or TF_AWS_WEB_IDENTITY_TOKEN or AWS_WEB_IDENTITY_TOKEN_FILE).",
      path,
    );
    return undefined;
  }
  const roleArn = s("role_arn") || env.AWS_ROLE_ARN;
  if (!roleArn) {
    diags.error("Missing role_arn", "assume_role_with_web_identity needs role_arn (or AWS_ROLE_ARN).", path);
    return undefined;
  }
  const sessionName = s("session_name") || env.AWS_ROLE_SESSION_NAME;
  const duration = s("duration");
  const policyArns = strings(getAttribute(block, "policy_arns"));
  return {
    roleArn,
    ...(sessionName ? { sessionName } : {}),
    ...(token ? { token } : { tokenFile: expandHome(tokenFile!) }),
    ...(duration ? { durationSeconds: parseDuration(duration) } : {}),
    ...(s("policy") ? { policy: s("policy") } : {}),
    ...(policyArns.length > 0 ? { policyArns } : {}),
  };
}

function readRetryMode(configured: string | undefined, env: NodeJS.ProcessEnv, diags: Diagnostics): RetryMode {
  if (configured === "standard" || configured === "adaptive") return configured;
  const fromEnv = env.AWS_RETRY_MODE?.trim().toLowerCase();
  if (!fromEnv) return "standard";
  if (fromEnv === "standard" || fromEnv === "adaptive") return fromEnv;
  // "legacy" is another SDK's mode; this provider has none like it.
  diags.error("Invalid environment variable value", `AWS_RETRY_MODE must be "standard" or "adaptive", not ${JSON.stringify(env.AWS_RETRY_MODE)}.`);
  return "standard";
}

function readConnection(config: Value, env: NodeJS.ProcessEnv, diags: Diagnostics): ConnectionSettings {
  const configured = (name: string) => {
    const v = getAttribute(config, name);
    return isNull(v) ? undefined : (asString(v) ?? "");
  };
  const httpFromConfig = configured("http_proxy");
  const httpsFromConfig = configured("https_proxy");
  const httpProxy = httpFromConfig ?? (env.HTTP_PROXY || env.http_proxy || "");
  let httpsProxy = httpsFromConfig ?? (env.HTTPS_PROXY || env.https_proxy || "");
  if (httpsFromConfig === undefined && httpFromConfig) {
    // As the official provider does: an HTTP proxy alone also carries HTTPS requests.
    httpsProxy = httpFromConfig;
    diags.warning(
      "Missing HTTPS proxy",
      `http_proxy is set and https_proxy is not, so HTTPS requests also go through ${JSON.stringify(redactUserInfo(httpFromConfig))}. Set https_proxy = "" for no HTTPS proxy.`,
      ["http_proxy"],
    );
  }
  for (const [name, value, fromEnv] of [
    ["http_proxy", httpProxy, httpFromConfig === undefined],
    ["https_proxy", httpsProxy, httpsFromConfig === undefined && !httpFromConfig],
  ] as const) {
    if (value && !isProxyUrl(value)) {
      const where = fromEnv ? `The ${name.toUpperCase()} environment variable` : name;
      diags.error(
        "Invalid proxy URL",
        `${where} is ${JSON.stringify(redactUserInfo(value))}, which is not a proxy URL such as "http://proxy.example.com:3128".`,
        fromEnv ? undefined : [name],
      );
    }
  }
  const noProxy = configured("no_proxy") || env.NO_PROXY || env.no_proxy || "";

  const bundlePath = configured("custom_ca_bundle") || env.AWS_CA_BUNDLE || "";
  let caBundle: string | undefined;
  if (bundlePath) {
    const path = configured("custom_ca_bundle") ? ["custom_ca_bundle"] : undefined;
    try {
      caBundle = readFileSync(expandHome(bundlePath), "utf8");
      if (!caBundle.includes("-----BEGIN CERTIFICATE-----")) {
        diags.error("Invalid CA bundle", `${bundlePath} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`, path);
      }
    } catch (err) {
      diags.error(
        "Unreadable CA bundle",
        `The CA bundle ${bundlePath}${path ? "" : " (AWS_CA_BUNDLE)"} could not be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`,
        path,
      );
    }
  }
  return {
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    ...(noProxy ? { noProxy } : {}),
    ...(caBundle ? { caBundle } : {}),
    insecure: asBool(getAttribute(config, "insecure")) ?? false,
  };
}

function readImdsEndpoint(config: Value, env: NodeJS.ProcessEnv, diags: Diagnostics): string | undefined {
  const endpoint = asString(getAttribute(config, "ec2_metadata_service_endpoint")) || env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  if (endpoint) return endpoint.replace(/\/+$/, "");
  const mode = asString(getAttribute(config, "ec2_metadata_service_endpoint_mode")) || env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE;
  if (!mode) return undefined;
  if (mode !== "IPv4" && mode !== "IPv6") {
    diags.error("Invalid environment variable value", `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be "IPv4" or "IPv6", not ${JSON.stringify(mode)}.`);
    return undefined;
  }
  return IMDS_ADDRESSES[mode];
}
