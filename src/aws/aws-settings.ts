/**
 * The provider's AWS settings after the configuration and the environment are combined, with
 * the precedence AWS provider users know: an argument wins over its environment variable.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface AssumeRoleSettings {
  roleArn: string;
  sessionName?: string;
  externalId?: string;
  durationSeconds?: number;
  policy?: string;
  policyArns?: string[];
  sourceIdentity?: string;
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
}

export interface WebIdentitySettings {
  roleArn: string;
  sessionName?: string;
  /** Exactly one of token and tokenFile. */
  token?: string;
  tokenFile?: string;
  durationSeconds?: number;
  policy?: string;
  policyArns?: string[];
}

/** How connections to AWS are made: proxies and TLS trust. */
export interface ConnectionSettings {
  /** undefined: none. */
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
  /** PEM text that replaces Node.js's built-in root certificates. */
  caBundle?: string;
  insecure?: boolean;
}

export type RetryMode = "standard" | "adaptive";

export interface AwsSettings {
  region: string;
  staticCredentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  profile?: string;
  sharedConfigFiles: string[];
  sharedCredentialsFiles: string[];
  /** Assumed in order, each with the credentials of the one before. */
  assumeRoles?: AssumeRoleSettings[];
  webIdentity?: WebIdentitySettings;
  /** Region of STS calls; default `region`. */
  stsRegion?: string;
  retryMode?: RetryMode;
  /** Capacity of the retry quota; undefined or 0: none. */
  retryQuotaCapacity?: number;
  connection?: ConnectionSettings;
  useFipsEndpoint?: boolean;
  useDualstackEndpoint?: boolean;
  /** Appended to the SDK's User-Agent. */
  userAgent?: string;
  /** An IMDS address chosen by the configuration (ec2_metadata_service_endpoint or its mode). */
  imdsEndpoint?: string;
  /** Tag keys aws_iam_user neither shows nor removes. */
  ignoreTags?: IgnoreTags;
  /** Retries after the first attempt, as in the AWS provider's `max_retries`. */
  maxRetries: number;
  endpoints: { iam?: string; sts?: string };
  skipCredentialsValidation: boolean;
  skipRequestingAccountId: boolean;
  skipMetadataApiCheck: boolean;
  defaultTags: Record<string, string>;
  /** How long to wait for IAM's eventual consistency on new objects. */
  propagationTimeoutMs: number;
  /** How long one HTTP attempt may take before it is abandoned (and retried when safe). Default: requestTimeoutFromEnv. */
  requestTimeoutMs?: number;
  /** How long all attempts of one AWS call may take together. Default: callTimeoutFromEnv. */
  callTimeoutMs?: number;
}

export interface IgnoreTags {
  keys: string[];
  keyPrefixes: string[];
}

export function isIgnoredTag(ignore: IgnoreTags | undefined, key: string): boolean {
  return ignore !== undefined && (ignore.keys.includes(key) || ignore.keyPrefixes.some((p) => key.startsWith(p)));
}

const DEFAULT_PROPAGATION_TIMEOUT_MS = 120_000;

/** `TF_AWS_IAM_PROPAGATION_TIMEOUT` (seconds) shortens the wait, for tests and impatient users. */
export function propagationTimeoutFromEnv(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.TF_AWS_IAM_PROPAGATION_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_PROPAGATION_TIMEOUT_MS;
}

export const DEFAULT_MAX_RETRIES = 25;

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * `TF_AWS_IAM_REQUEST_TIMEOUT` (seconds, fractions allowed): how long one attempt of an AWS
 * call may take. Without a limit a server that accepts the connection and never answers
 * would hold the apply for ever.
 */
export function requestTimeoutFromEnv(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.TF_AWS_IAM_REQUEST_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : DEFAULT_REQUEST_TIMEOUT_MS;
}

export const DEFAULT_CALL_TIMEOUT_MS = 300_000;

/**
 * `TF_AWS_IAM_CALL_TIMEOUT` (seconds, fractions allowed): how long one AWS call may take with
 * all its retries; no retry starts that could end later. It bounds what an endpoint that never
 * answers costs (by default 26 attempts of 60 s each would be half an hour).
 */
export function callTimeoutFromEnv(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.TF_AWS_IAM_CALL_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : DEFAULT_CALL_TIMEOUT_MS;
}

/** `AWS_ENDPOINT_URL_IAM`, then `AWS_ENDPOINT_URL`, as the AWS SDKs resolve service endpoints. */
export function endpointFromEnv(env: NodeJS.ProcessEnv, service: "IAM" | "STS"): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

export function regionFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

/**
 * The `region` of a profile in the shared config file, where the AWS CLI, the SDKs and the AWS
 * provider also look: profile `profile` (else `AWS_PROFILE`, else `default`) in the first of
 * `configFiles` (else `AWS_CONFIG_FILE`, else `~/.aws/config`).
 */
export function regionFromSharedConfig(env: NodeJS.ProcessEnv, profile: string | undefined, configFiles: readonly string[]): string | undefined {
  const wanted = profile || env.AWS_PROFILE || "default";
  const file = expandHome(configFiles[0] || env.AWS_CONFIG_FILE || join(homedir(), ".aws", "config"));
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  let section: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*(.*?)\s*\]$/.exec(line)?.[1];
    if (header !== undefined) {
      // Config files name profiles `[profile NAME]`; only the default may go without the prefix.
      section = header === "default" ? "default" : /^profile\s+/.test(header) ? header.replace(/^profile\s+/, "") : undefined;
      continue;
    }
    const setting = /^region\s*=\s*([^\s#;]+)/.exec(line);
    if (section === wanted && setting) return setting[1];
  }
  return undefined;
}

/** `~/...` in a shared file path, as the AWS provider accepts it. */
export function expandHome(path: string): string {
  return path === "~" ? homedir() : path.startsWith("~/") ? join(homedir(), path.slice(2)) : path;
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
export function looksLikeRegion(region: string): boolean {
  return REGION.test(region);
}

/** "1h", "30m", "900s", "1h30m" (Go durations, as the AWS provider takes them) in seconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === "") return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}
