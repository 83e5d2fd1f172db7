/**
 * The provider's AWS settings after the configuration and the environment are combined, with
 * the precedence AWS provider users know: an argument wins over its environment variable.
 */
export interface AssumeRoleSettings {
  roleArn: string;
  sessionName?: string;
  externalId?: string;
  durationSeconds?: number;
}

export interface AwsSettings {
  region: string;
  staticCredentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  profile?: string;
  sharedConfigFiles: string[];
  sharedCredentialsFiles: string[];
  assumeRole?: AssumeRoleSettings;
  /** Retries after the first attempt, as in the AWS provider's `max_retries`. */
  maxRetries: number;
  endpoints: { iam?: string; sts?: string };
  skipCredentialsValidation: boolean;
  skipRequestingAccountId: boolean;
  skipMetadataApiCheck: boolean;
  defaultTags: Record<string, string>;
  /** How long to wait for IAM's eventual consistency on new objects. */
  propagationTimeoutMs: number;
}

export const DEFAULT_PROPAGATION_TIMEOUT_MS = 120_000;

/** `TF_AWS_IAM_PROPAGATION_TIMEOUT` (seconds) shortens the wait, for tests and impatient users. */
export function propagationTimeoutFromEnv(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.TF_AWS_IAM_PROPAGATION_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_PROPAGATION_TIMEOUT_MS;
}

export const DEFAULT_MAX_RETRIES = 25;

/** `AWS_ENDPOINT_URL_IAM`, then `AWS_ENDPOINT_URL`, as the AWS SDKs resolve service endpoints. */
export function endpointFromEnv(env: NodeJS.ProcessEnv, service: "IAM" | "STS"): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

export function regionFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
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
