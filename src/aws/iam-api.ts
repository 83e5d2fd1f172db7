/**
 * The IAM and STS calls the resources make, over `@aws-sdk/client-iam`. The SDK is imported on
 * first use, so the many short provider processes that only validate or plan never load it,
 * and each client is created once per process and reused (keep-alive connections).
 */
import type { IAMClient, ServiceSpecificCredential, ServiceSpecificCredentialMetadata, Tag, User, AccessKeyMetadata } from "@aws-sdk/client-iam";
import type { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { AssumeRoleSettings, AwsSettings, WebIdentitySettings } from "./aws-settings.ts";
import { callTimeoutFromEnv, requestTimeoutFromEnv } from "./aws-settings.ts";
import { AdaptiveRateLimiter } from "./adaptive-rate-limiter.ts";
import { RetryQuota } from "./retry-quota.ts";
import { awsErrorCode, httpStatus, isAbort, isNoSuchEntity } from "./aws-errors.ts";
import { providerRetryStrategy } from "./retry-strategy.ts";
import { UNREACHABLE_CODES, networkErrorCode } from "./network-errors.ts";
import { allPages } from "./iam-pagination.ts";
import type { Logger } from "../logging/logger.ts";
import { redactor } from "../logging/logger.ts";
import { send } from "./cached-send.ts";

export type { ServiceSpecificCredential, ServiceSpecificCredentialMetadata, Tag, User, AccessKeyMetadata };

type IamSdk = typeof import("./iam-sdk.ts");
type StsSdk = typeof import("./sts-sdk.ts");

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** The service a call went to, for messages: STS GetCallerIdentity is not an IAM call. */
export type AwsService = "IAM" | "STS";

/**
 * A service did not answer a call within the per-attempt timeout, and the retries (bounded
 * by the call deadline) are spent. Whether it acted on the request is unknown.
 */
export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeout";
  constructor(
    readonly action: string,
    readonly timeoutMs: number,
    readonly attempts: number,
    readonly endpoint: string | undefined,
    readonly service: AwsService = "IAM",
  ) {
    super(
      `${service} did not answer ${action} within ${formatSeconds(timeoutMs)} ` +
        `(${attempts === 1 ? "1 attempt" : `${attempts} attempts`}; the per-attempt timeout is set with TF_AWS_IAM_REQUEST_TIMEOUT, in seconds, ` +
        `and the time for all attempts of one call with TF_AWS_IAM_CALL_TIMEOUT)` +
        (endpoint ? ` at ${endpoint}` : ` at the default ${service} endpoint`),
    );
  }
}

/** The connection failed before an answer arrived (refused, reset, dropped). */
export class ConnectionFailedError extends Error {
  override readonly name = "ConnectionFailed";
  constructor(
    readonly action: string,
    readonly networkCode: string | undefined,
    readonly attempts: number,
    readonly endpoint: string | undefined,
    cause: unknown,
    readonly service: AwsService = "IAM",
  ) {
    super(
      `the connection to ${service}${endpoint ? ` at ${endpoint}` : ""} failed before ${action} was answered ` +
        `(${networkCode ? `${networkCode}: ` : ""}${cause instanceof Error ? cause.message : String(cause)}; ` +
        `${attempts === 1 ? "1 attempt" : `${attempts} attempts`})`,
      { cause },
    );
  }
}

/**
 * True when a failed call may nevertheless have taken effect: no answer (timeout, dropped
 * connection) or a server error. A refusal (4xx) means IAM did nothing.
 */
export function outcomeUnknown(err: unknown): boolean {
  if (err instanceof RequestTimeoutError) return true;
  // A request that never reached a server cannot have acted.
  if (err instanceof ConnectionFailedError) return !UNREACHABLE_CODES.has(err.networkCode ?? "");
  const status = httpStatus(err);
  return status !== undefined && status >= 500;
}

/** How IAM look-alikes refuse ListServiceSpecificCredentials without a ServiceName. */
const UNFILTERED_LIST_REFUSED = new Set(["ValidationError", "InvalidParameterValue", "NoSuchEntity"]);

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export class IamApi {
  private iamClient: Promise<{ sdk: IamSdk; client: IAMClient }> | undefined;
  /** The same endpoint, for calls that must not be repeated blindly (see retry-strategy.ts). */
  private iamOnceClient: Promise<{ sdk: IamSdk; client: IAMClient }> | undefined;
  private stsClient: Promise<{ sdk: StsSdk; client: STSClient }> | undefined;
  private credentials: Promise<AwsCredentialIdentityProvider> | undefined;
  private agents: Promise<import("./proxy-agents.ts").SdkAgents | undefined> | undefined;
  /** Shared by every client, so that throttling seen by one call paces all of them. */
  private readonly rateLimiter: AdaptiveRateLimiter | undefined;
  private readonly retryQuota: RetryQuota | undefined;
  /** The IAM client that last got an answer: its clock-skew offset follows IAM's Date header. */
  private answered: IAMClient | undefined;

  constructor(
    readonly settings: AwsSettings,
    private readonly logger: Logger,
  ) {
    redactor.add(settings.staticCredentials?.secretAccessKey);
    redactor.add(settings.staticCredentials?.sessionToken);
    redactor.add(settings.webIdentity?.token);
    this.rateLimiter = settings.retryMode === "adaptive" ? new AdaptiveRateLimiter() : undefined;
    this.retryQuota = settings.retryQuotaCapacity ? new RetryQuota(settings.retryQuotaCapacity) : undefined;
  }

  // --- service-specific credentials -------------------------------------------------------

  /**
   * One CreateServiceSpecificCredential call. It is not repeated after a failure whose outcome
   * is unknown (see outcomeUnknown): the caller must find out whether IAM created one.
   */
  async createServiceSpecificCredential(
    input: { userName: string; serviceName: string; credentialAgeDays?: number },
    signal?: AbortSignal,
  ): Promise<ServiceSpecificCredential> {
    const { sdk, client } = await this.iamOnce();
    const out = await send(
      client,
      new sdk.CreateServiceSpecificCredentialCommand({
        UserName: input.userName,
        ServiceName: input.serviceName,
        ...(input.credentialAgeDays !== undefined ? { CredentialAgeDays: input.credentialAgeDays } : {}),
      }),
      signal,
    );
    const credential = out.ServiceSpecificCredential;
    if (!credential?.ServiceSpecificCredentialId) throw new Error("IAM returned no credential in its CreateServiceSpecificCredential response");
    redactor.add(credential.ServicePassword);
    redactor.add(credential.ServiceCredentialSecret);
    return credential;
  }

  /** Every credential of one user for one service, following markers across pages. */
  async listServiceSpecificCredentials(userName: string, serviceName: string, signal?: AbortSignal): Promise<ServiceSpecificCredentialMetadata[]> {
    return this.listCredentialPages(userName, serviceName, signal);
  }

  /**
   * Every credential of one user, all services. Real IAM lists them without a service filter.
   * Look-alikes insist on one: some refuse the unfiltered list as invalid (ValidationError,
   * InvalidParameterValue), LocalStack as NoSuchEntity ("No such service None"). Then ask
   * service by service; LocalStack answers NoSuchEntity for a service it does not support
   * too, and such a service has no credentials.
   */
  async listUserServiceSpecificCredentials(userName: string, services: readonly string[], signal?: AbortSignal): Promise<ServiceSpecificCredentialMetadata[]> {
    try {
      return await this.listCredentialPages(userName, undefined, signal);
    } catch (err) {
      if (!UNFILTERED_LIST_REFUSED.has(awsErrorCode(err) ?? "")) throw err;
    }
    const all: ServiceSpecificCredentialMetadata[] = [];
    for (const service of services) {
      try {
        all.push(...(await this.listCredentialPages(userName, service, signal)));
      } catch (err) {
        if (!isNoSuchEntity(err)) throw err;
      }
    }
    return all;
  }

  private async listCredentialPages(userName: string, serviceName: string | undefined, signal?: AbortSignal): Promise<ServiceSpecificCredentialMetadata[]> {
    const { sdk, client } = await this.iam();
    return allPages(
      "ListServiceSpecificCredentials",
      async (marker) => {
        const out = await send(
          client,
          new sdk.ListServiceSpecificCredentialsCommand({
            UserName: userName,
            ...(serviceName ? { ServiceName: serviceName } : {}),
            ...(marker ? { Marker: marker } : {}),
          }),
          signal,
        );
        return { items: out.ServiceSpecificCredentials, isTruncated: out.IsTruncated, marker: out.Marker };
      },
      signal,
    );
  }

  /**
   * One ResetServiceSpecificCredential: a new password or secret, the status unchanged. The
   * SDK may repeat it after a lost answer: each reset replaces the one before, so the answer
   * that arrives holds the secret that is valid.
   */
  async resetServiceSpecificCredential(userName: string, id: string, signal?: AbortSignal): Promise<ServiceSpecificCredential> {
    const { sdk, client } = await this.iam();
    const out = await send(client, new sdk.ResetServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: id }), signal);
    const credential = out.ServiceSpecificCredential;
    if (!credential?.ServiceSpecificCredentialId) throw new Error("IAM returned no credential in its ResetServiceSpecificCredential response");
    redactor.add(credential.ServicePassword);
    redactor.add(credential.ServiceCredentialSecret);
    return credential;
  }

  /**
   * IAM's time: the local clock corrected by the Date header of IAM's latest answer, as the
   * SDK corrects it for signing (its systemClockOffset). Undefined before IAM has answered
   * in this process.
   */
  iamTime(): Date | undefined {
    if (!this.answered) return undefined;
    return new Date(Date.now() + (this.answered.config.systemClockOffset ?? 0));
  }

  async updateServiceSpecificCredential(userName: string, id: string, status: string, signal?: AbortSignal): Promise<void> {
    const { sdk, client } = await this.iam();
    await send(
      client,
      new sdk.UpdateServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: id, Status: status as "Active" | "Inactive" }),
      signal,
    );
  }

  async deleteServiceSpecificCredential(userName: string, id: string, signal?: AbortSignal): Promise<void> {
    const { sdk, client } = await this.iam();
    await send(client, new sdk.DeleteServiceSpecificCredentialCommand({ UserName: userName, ServiceSpecificCredentialId: id }), signal);
  }

  // --- users ------------------------------------------------------------------------------

  async createUser(input: { userName: string; path?: string; permissionsBoundary?: string; tags: Tag[] }, signal?: AbortSignal): Promise<User> {
    const { sdk, client } = await this.iam();
    const out = await send(
      client,
      new sdk.CreateUserCommand({
        UserName: input.userName,
        ...(input.path ? { Path: input.path } : {}),
        ...(input.permissionsBoundary ? { PermissionsBoundary: input.permissionsBoundary } : {}),
        ...(input.tags.length > 0 ? { Tags: input.tags } : {}),
      }),
      signal,
    );
    if (!out.User) throw new Error("IAM returned no user in its CreateUser response");
    return out.User;
  }

  async getUser(userName: string, signal?: AbortSignal): Promise<User> {
    const { sdk, client } = await this.iam();
    const out = await send(client, new sdk.GetUserCommand({ UserName: userName }), signal);
    if (!out.User) throw new Error("IAM returned no user in its GetUser response");
    return out.User;
  }

  async updateUser(userName: string, changes: { newUserName?: string; newPath?: string }, signal?: AbortSignal): Promise<void> {
    const { sdk, client } = await this.iam();
    await send(
      client,
      new sdk.UpdateUserCommand({
        UserName: userName,
        ...(changes.newUserName ? { NewUserName: changes.newUserName } : {}),
        ...(changes.newPath ? { NewPath: changes.newPath } : {}),
      }),
      signal,
    );
  }

  async deleteUser(userName: string, signal?: AbortSignal): Promise<void> {
    const { sdk, client } = await this.iam();
    await send(client, new sdk.DeleteUserCommand({ UserName: userName }), signal);
  }

  async putUserPermissionsBoundary(userName: string, boundary: string, signal?: AbortSignal): Promise<void> {
    const { sdk, client } = await this.iam();
    await send(client, new sdk.PutUserPermissionsBoundaryCommand({ UserName: userName, PermissionsBoundary: boundary }), signal);
  }

  async deleteUserPermissionsBoundary(userName: string, signal?: AbortSignal): Promise<void> {
    const { sdk, client } = await this.iam();
    await send(client, new sdk.DeleteUserPermissionsBoundaryCommand({ UserName: userName }), signal);
  }

  async listUserTags(userName: string, signal?: AbortSignal): Promise<Tag[]> {
    const { sdk, client } = await this.iam();
    return allPages(
      "ListUserTags",
      async (marker) => {
        const out = await send(client, new sdk.ListUserTagsCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }), signal);
        return { items: out.Tags, isTruncated: out.IsTruncated, marker: out.Marker };
      },
      signal,
    );
  }

  async tagUser(userName: string, tags: Tag[], signal?: AbortSignal): Promise<void> {
    if (tags.length === 0) return;
    const { sdk, client } = await this.iam();
    await send(client, new sdk.TagUserCommand({ UserName: userName, Tags: tags }), signal);
  }

  async untagUser(userName: string, keys: string[], signal?: AbortSignal): Promise<void> {
    if (keys.length === 0) return;
    const { sdk, client } = await this.iam();
    await send(client, new sdk.UntagUserCommand({ UserName: userName, TagKeys: keys }), signal);
  }

  async listAccessKeys(userName: string, signal?: AbortSignal): Promise<AccessKeyMetadata[]> {
    const { sdk, client } = await this.iam();
    return allPages(
      "ListAccessKeys",
      async (marker) => {
        const out = await send(client, new sdk.ListAccessKeysCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }), signal);
        return { items: out.AccessKeyMetadata, isTruncated: out.IsTruncated, marker: out.Marker };
      },
      signal,
    );
  }

  async deleteAccessKey(userName: string, accessKeyId: string, signal?: AbortSignal): Promise<void> {
    const { sdk, client } = await this.iam();
    await send(client, new sdk.DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }), signal);
  }

  async deleteLoginProfile(userName: string, signal?: AbortSignal): Promise<void> {
    const { sdk, client } = await this.iam();
    await send(client, new sdk.DeleteLoginProfileCommand({ UserName: userName }), signal);
  }

  // --- STS --------------------------------------------------------------------------------

  async getCallerIdentity(signal?: AbortSignal): Promise<CallerIdentity> {
    const { sdk, client } = await this.sts();
    const out = await send(client, new sdk.GetCallerIdentityCommand({}), signal);
    return { account: out.Account ?? "", arn: out.Arn ?? "", userId: out.UserId ?? "" };
  }

  // --- clients ----------------------------------------------------------------------------

  private iam(): Promise<{ sdk: IamSdk; client: IAMClient }> {
    this.iamClient ??= this.newIamClient("all");
    return this.iamClient;
  }

  private iamOnce(): Promise<{ sdk: IamSdk; client: IAMClient }> {
    this.iamOnceClient ??= this.newIamClient("refusals");
    return this.iamOnceClient;
  }

  private async newIamClient(retryOn: "all" | "refusals"): Promise<{ sdk: IamSdk; client: IAMClient }> {
    const sdk = await import("./iam-sdk.ts");
    const endpoint = this.settings.endpoints.iam;
    const client = new sdk.IAMClient(await this.clientConfig("iam", endpoint, retryOn));
    client.middlewareStack.add(this.explainFailures("IAM", endpoint), { step: "initialize", name: "explainNetworkFailures" });
    client.middlewareStack.add(this.noteAnswers(client), { step: "initialize", name: "noteIamAnswers" });
    return { sdk, client };
  }

  /** Remembers the client of the latest answered call (an error answer has a Date header too). */
  private noteAnswers(client: IAMClient) {
    return <I extends object, O extends object>(next: (args: I) => Promise<O>) =>
      async (args: I): Promise<O> => {
        try {
          const out = await next(args);
          this.answered = client;
          return out;
        } catch (err) {
          if (httpStatus(err) !== undefined) this.answered = client;
          throw err;
        }
      };
  }

  private sts(): Promise<{ sdk: StsSdk; client: STSClient }> {
    this.stsClient ??= (async () => {
      const sdk = await import("./sts-sdk.ts");
      const endpoint = this.settings.endpoints.sts;
      const client = new sdk.STSClient(await this.clientConfig("sts", endpoint, "all"));
      client.middlewareStack.add(this.explainFailures("STS", endpoint), { step: "initialize", name: "explainNetworkFailures" });
      return { sdk, client };
    })();
    return this.stsClient;
  }

  private get requestTimeoutMs(): number {
    return this.settings.requestTimeoutMs ?? requestTimeoutFromEnv(process.env);
  }

  /**
   * The deadline of one call across its retries: each attempt may time out, but no retry
   * starts that could end after TF_AWS_IAM_CALL_TIMEOUT, so an endpoint that never answers
   * costs minutes, not max_retries request timeouts.
   */
  private get deadline(): { deadlineMs: number; attemptTimeoutMs: number } {
    return { deadlineMs: this.settings.callTimeoutMs ?? callTimeoutFromEnv(process.env), attemptTimeoutMs: this.requestTimeoutMs };
  }

  private async clientConfig(service: "iam" | "sts", endpoint: string | undefined, retryOn: "all" | "refusals", credentials?: AwsCredentialIdentityProvider) {
    return {
      ...(await this.transportConfig(service, endpoint)),
      credentials: credentials ?? (await this.credentialProvider()),
      retryStrategy: this.retryStrategy(retryOn),
      logger: this.sdkLogger(),
    };
  }

  /** Where and how a client connects: region, endpoint variant, proxies, TLS, User-Agent. */
  private async transportConfig(service: "iam" | "sts", endpoint: string | undefined) {
    const s = this.settings;
    // A custom endpoint is used as it is: the SDK refuses FIPS or dual-stack variants of one.
    if (endpoint && (s.useFipsEndpoint || s.useDualstackEndpoint))
      this.logger.debug("endpoint set, ignoring use_fips_endpoint and use_dualstack_endpoint", { service, endpoint });
    this.agents ??= s.connection ? import("./proxy-agents.ts").then((m) => m.sdkAgents(s.connection)) : Promise.resolve(undefined);
    const agents = await this.agents;
    return {
      region: service === "sts" ? (s.stsRegion ?? s.region) : s.region,
      ...(endpoint ? { endpoint } : {}),
      useFipsEndpoint: !endpoint && (s.useFipsEndpoint ?? false),
      useDualstackEndpoint: !endpoint && (s.useDualstackEndpoint ?? false),
      ...(s.userAgent ? { customUserAgent: s.userAgent } : {}),
      // requestTimeout alone only logs a warning; throwOnRequestTimeout makes it end the attempt.
      requestHandler: { requestTimeout: this.requestTimeoutMs, throwOnRequestTimeout: true, ...(agents ?? {}) },
    };
  }

  private retryStrategy(retryOn: "all" | "refusals") {
    return providerRetryStrategy({
      maxRetries: this.settings.maxRetries,
      retryOn,
      ...this.deadline,
      ...(this.rateLimiter ? { rateLimiter: this.rateLimiter } : {}),
      ...(this.retryQuota ? { quota: this.retryQuota } : {}),
      onRetry: (attempt, delayMs, error) =>
        this.logger.debug("retrying AWS call", { attempt, delay_ms: delayMs, error_code: networkErrorCode(error) ?? awsErrorCode(error) }),
      onRateChange: (rate) =>
        this.logger.debug("adaptive retry mode: client-side rate limit changed", {
          calls_per_second: Number.isFinite(rate) ? Math.round(rate * 100) / 100 : "unlimited",
        }),
    });
  }

  /**
   * Runs outside the retries: once they are spent, a timeout or a network failure becomes an
   * error that says which call, where, and how many attempts were made, instead of the HTTP
   * handler's "socket hang up".
   */
  private explainFailures(service: AwsService, endpoint: string | undefined) {
    const timeoutMs = this.requestTimeoutMs;
    return <I extends object, O extends object>(next: (args: I) => Promise<O>, context: { commandName?: string }) =>
      async (args: I): Promise<O> => {
        try {
          return await next(args);
        } catch (err) {
          if (isAbort(err) || httpStatus(err) !== undefined) throw err;
          const action = (context.commandName ?? "the call").replace(/Command$/, "");
          const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
          const code = networkErrorCode(err);
          // The HTTP handler also names a reset connection ("socket hang up", ECONNRESET) TimeoutError.
          if ((err as Error).name === "TimeoutError" && (code === undefined || code === "ETIMEDOUT"))
            throw new RequestTimeoutError(action, timeoutMs, attempts, endpoint, service);
          if (code) throw new ConnectionFailedError(action, code, attempts, endpoint, err, service);
          throw err;
        }
      };
  }

  /**
   * Static keys, else a web identity, else a profile or the default chain (then the IMDS
   * address the configuration chose); then each assume_role on top of the one before.
   */
  private credentialProvider(): Promise<AwsCredentialIdentityProvider> {
    this.credentials ??= (async () => {
      const s = this.settings;
      let base: AwsCredentialIdentityProvider;
      if (s.staticCredentials) {
        const identity = { ...s.staticCredentials };
        base = async () => identity;
      } else if (s.webIdentity) {
        base = await this.webIdentityProvider(s.webIdentity);
      } else {
        base = await this.defaultChain();
      }
      for (const role of s.assumeRoles ?? []) base = await this.assumeRoleProvider(base, role);
      return base;
    })();
    return this.credentials;
  }

  private async defaultChain(): Promise<AwsCredentialIdentityProvider> {
    const s = this.settings;
    const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
    const ownImds = s.imdsEndpoint && !s.skipMetadataApiCheck ? s.imdsEndpoint : undefined;
    const chain = defaultProvider({
      ...(s.profile ? { profile: s.profile } : {}),
      ...(s.sharedCredentialsFiles[0] ? { filepath: s.sharedCredentialsFiles[0] } : {}),
      ...(s.sharedConfigFiles[0] ? { configFilepath: s.sharedConfigFiles[0] } : {}),
      // The SDK's own IMDS client would ask 169.254.169.254 first; ours asks the configured address.
      ...(s.skipMetadataApiCheck || ownImds ? { maxRetries: 0, timeout: 1 } : {}),
    });
    if (!ownImds) return chain;
    const { imdsCredentials } = await import("./imds-credentials.ts");
    return async () => {
      try {
        return await chain();
      } catch (err) {
        if (awsErrorCode(err) !== "CredentialsProviderError") throw err;
        this.logger.debug("no credentials from the default chain; asking the EC2 metadata service", { endpoint: ownImds });
        const c = await imdsCredentials(ownImds);
        redactor.add(c.secretAccessKey);
        redactor.add(c.sessionToken);
        return c;
      }
    };
  }

  /** An STS client for getting credentials: same transport (proxy, TLS, region), plain retries. */
  private async credentialsStsClient(credentials: AwsCredentialIdentityProvider | undefined) {
    const sdk = await import("./sts-sdk.ts");
    const endpoint = this.settings.endpoints.sts;
    const sts = new sdk.STSClient({
      ...(await this.transportConfig("sts", endpoint)),
      // AssumeRoleWithWebIdentity is unsigned; the SDK still wants a provider to exist.
      credentials: credentials ?? (async () => ({ accessKeyId: "", secretAccessKey: "" })),
      retryStrategy: providerRetryStrategy({ maxRetries: this.settings.maxRetries, ...this.deadline }),
    });
    sts.middlewareStack.add(this.explainFailures("STS", endpoint), { step: "initialize", name: "explainNetworkFailures" });
    return { sdk, sts };
  }

  private async assumeRoleProvider(base: AwsCredentialIdentityProvider, role: AssumeRoleSettings): Promise<AwsCredentialIdentityProvider> {
    const { sdk, sts } = await this.credentialsStsClient(base);
    return this.cachedSession(role.roleArn, () =>
      sts.send(
        new sdk.AssumeRoleCommand({
          RoleArn: role.roleArn,
          RoleSessionName: role.sessionName || `terraform-${Date.now()}`,
          ...(role.externalId ? { ExternalId: role.externalId } : {}),
          ...(role.durationSeconds ? { DurationSeconds: role.durationSeconds } : {}),
          ...(role.policy ? { Policy: role.policy } : {}),
          ...(role.policyArns ? { PolicyArns: role.policyArns.map((arn) => ({ arn })) } : {}),
          ...(role.sourceIdentity ? { SourceIdentity: role.sourceIdentity } : {}),
          ...(role.tags ? { Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
          ...(role.transitiveTagKeys ? { TransitiveTagKeys: role.transitiveTagKeys } : {}),
        }),
      ),
    );
  }

  private async webIdentityProvider(identity: WebIdentitySettings): Promise<AwsCredentialIdentityProvider> {
    const { sdk, sts } = await this.credentialsStsClient(undefined);
    const { readFile } = await import("node:fs/promises");
    return this.cachedSession(identity.roleArn, async () => {
      // A token file is read at each renewal: whoever writes it rotates the token.
      const token = identity.token ?? (await readFile(identity.tokenFile!, "utf8")).trim();
      redactor.add(token);
      return sts.send(
        new sdk.AssumeRoleWithWebIdentityCommand({
          RoleArn: identity.roleArn,
          RoleSessionName: identity.sessionName || `terraform-${Date.now()}`,
          WebIdentityToken: token,
          ...(identity.durationSeconds ? { DurationSeconds: identity.durationSeconds } : {}),
          ...(identity.policy ? { Policy: identity.policy } : {}),
          ...(identity.policyArns ? { PolicyArns: identity.policyArns.map((arn) => ({ arn })) } : {}),
        }),
      );
    });
  }

  /** A credential provider that asks STS again only when the session is about to expire. */
  private cachedSession(
    roleArn: string,
    fetch: () => Promise<{ Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } }>,
  ): AwsCredentialIdentityProvider {
    let cached: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date } | undefined;
    return async () => {
      if (cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > 60_000)) return cached;
      const c = (await fetch()).Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`assuming role ${roleArn} returned no credentials`);
      redactor.add(c.SecretAccessKey);
      redactor.add(c.SessionToken);
      cached = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
      };
      return cached;
    };
  }

  /** SDK log lines at trace level only; the redactor masks any secret that slips into them. */
  private sdkLogger() {
    const log = this.logger;
    if (!log.enabled("trace")) return undefined;
    const line = (args: unknown[]) => args.map((a) => (typeof a === "string" ? a : safeJson(a))).join(" ");
    return {
      trace: (...a: unknown[]) => log.trace(line(a), { module_sdk: "aws-sdk" }),
      debug: (...a: unknown[]) => log.trace(line(a), { module_sdk: "aws-sdk" }),
      info: (...a: unknown[]) => log.trace(line(a), { module_sdk: "aws-sdk" }),
      warn: (...a: unknown[]) => log.warn(line(a), { module_sdk: "aws-sdk" }),
      error: (...a: unknown[]) => log.error(line(a), { module_sdk: "aws-sdk" }),
    };
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (key, v: unknown) => (/secret|password|token/i.test(key) ? "[REDACTED]" : v));
  } catch {
    return String(value);
  }
}
