/**
 * Creating a service-specific credential without leaving one behind that no state knows.
 *
 * CreateServiceSpecificCredential is not idempotent: every call that reaches IAM makes a new
 * credential, and its password or secret is in that call's answer only. When the answer is
 * lost (a dropped connection, a timeout, a server error), IAM may or may not have created one.
 * Repeating the call blindly, as the SDK does for transient errors, can leave a credential
 * nobody knows about and use up the user's two-per-service allowance. So the SDK repeats only
 * refusals here (see retry-strategy.ts), and this module finds out instead:
 *
 *   1. It lists the user's credentials for the service before the first attempt, or takes
 *      what the create before it for the same user and service listed and made
 *      (create-baselines.ts).
 *   2. After an attempt whose outcome is unknown it lists again (waiting a little, or after a
 *      timeout up to the propagation timeout, for a late credential).
 *   3. Nothing new: no credential was made, by us or anyone, so the create is tried again
 *      (with backoff, within max_retries). A timeout is not retried: the request may still
 *      be carried out inside IAM, and the same slowness would strike again.
 *   4. Anything new: it may be ours, or another process's made meanwhile for the same user
 *      and service (another Terraform run, a provider alias, a script). From the client's
 *      side a request dropped before it reached IAM looks the same as one whose answer was
 *      lost, and IAM has no idempotency token, so neither the number of new credentials nor
 *      their create_date proves who made them; the in-process lock covers only this process.
 *      Adopting one (storing it, even tainted, means the next apply deletes it) or deleting it
 *      could destroy a credential someone else holds the secret of. So it creates nothing
 *      more, touches nothing, and fails naming the candidates, with how to import or delete.
 *   5. Ctrl-C (StopProvider) while a create is in flight: the call is cancelled, and the
 *      provider looks for a few seconds for a credential that appeared, to name it the same way.
 *
 * The only credential this module ever hands back is one from an answered create.
 */
import type { IamApi, ServiceSpecificCredential, ServiceSpecificCredentialMetadata } from "../aws/iam-api.ts";
import { RequestTimeoutError, outcomeUnknown } from "../aws/iam-api.ts";
import { describeAwsError, isAbort } from "../aws/aws-errors.ts";
import { backoffDelay } from "../aws/backoff.ts";
import { sleep } from "../aws/sleep.ts";
import type { Logger } from "../logging/logger.ts";
import type { CreateBaseline } from "./create-baselines.ts";

export interface CreateInput {
  userName: string;
  serviceName: string;
  credentialAgeDays?: number;
}

export interface CreateTimings {
  /** How long to look for a credential after a failure without an answer (not a timeout). */
  settleMs: number;
  /** Pause between two looks. */
  pollMs: number;
  /** After Ctrl-C, how long to look for a credential IAM created anyway. */
  interruptGraceMs: number;
}

const DEFAULT_TIMINGS: CreateTimings = { settleMs: 1000, pollMs: 500, interruptGraceMs: 5000 };

/**
 * The create ended without a credential whose secret we hold. `candidates` are credentials
 * that appeared meanwhile and may or may not be the lost one: none of them was touched.
 */
export class CreateOutcomeError extends Error {
  override readonly name = "CreateOutcomeError";
  constructor(
    readonly summary: string,
    detail: string,
    readonly candidates: readonly string[] = [],
  ) {
    super(detail);
  }
}

type LookResult = { fresh: ServiceSpecificCredentialMetadata[] } | { failed: unknown };

export class CredentialCreation {
  /** Credential ids the user had for the service before our first attempt. */
  private before: CreateBaseline | undefined;
  private retries = 0;

  constructor(
    private readonly api: IamApi,
    private readonly input: CreateInput,
    private readonly signal: AbortSignal,
    private readonly logger: Logger,
    private readonly timings: CreateTimings = DEFAULT_TIMINGS,
  ) {}

  /** Starts from a baseline handed over by the create before this one (create-baselines.ts) instead of listing. */
  startFrom(baseline: CreateBaseline | undefined): void {
    this.before ??= baseline;
  }

  /** After create() returned `made`: the baseline of the next create for the same user and service. */
  baselineAfter(made: ServiceSpecificCredential): CreateBaseline {
    if (!this.before) throw new Error("baselineAfter() before create()");
    return { ids: new Set([...this.before.ids, made.ServiceSpecificCredentialId ?? ""]), listedAt: this.before.listedAt };
  }

  /**
   * Creates the credential. Throws the IAM error for a refusal (NoSuchEntity, LimitExceeded…),
   * which the caller may retry by calling this again, or a CreateOutcomeError.
   */
  async create(): Promise<ServiceSpecificCredential> {
    this.before ??= await this.currentBaseline(this.signal);
    for (;;) {
      try {
        return await this.api.createServiceSpecificCredential(this.input, this.signal);
      } catch (failure) {
        await this.recover(failure);
      }
    }
  }

  /**
   * After a create that failed: returns when another attempt is safe (IAM shows that nothing
   * was created and retries are left), else throws the reason not to try again.
   */
  private async recover(failure: unknown): Promise<void> {
    if (this.signal.aborted || isAbort(failure)) throw await this.afterInterrupt(failure);
    if (!outcomeUnknown(failure)) throw failure;

    const timedOut = failure instanceof RequestTimeoutError;
    this.logger.warn("CreateServiceSpecificCredential ended without an answer; checking whether a credential appeared", {
      user_name: this.input.userName,
      service_name: this.input.serviceName,
      error: describeAwsError(failure),
    });
    const look = await this.lookForNew(timedOut ? this.api.settings.propagationTimeoutMs : this.timings.settleMs, this.signal);
    if ("failed" in look) {
      if (this.signal.aborted || isAbort(look.failed)) throw await this.afterInterrupt(look.failed);
      throw this.listingFailed(failure, look.failed);
    }
    if (look.fresh.length > 0) throw this.unproven(look.fresh, this.attemptDescription(failure));
    // Nothing was created. A timed-out request may still be carried out, so it is not repeated.
    if (timedOut) throw this.nothingYetAfterTimeout(failure);
    if (this.retries >= this.api.settings.maxRetries) throw this.retriesExhausted(failure);
    this.retries++;
    await this.pauseBeforeRetry();
  }

  private async pauseBeforeRetry(): Promise<void> {
    // this.retries is already counted here (1 on the first retry), so the first pause is up to 200 ms.
    const delay = backoffDelay(this.retries, { baseMs: 100, capMs: 5000, jitter: "full" });
    this.logger.debug("retrying AWS call", { attempt: this.retries, delay_ms: delay, error_code: "CreateServiceSpecificCredential: no credential created" });
    try {
      await sleep(delay, this.signal);
    } catch (err) {
      throw await this.afterInterrupt(err, false);
    }
  }

  private listingFailed(failure: unknown, listing: unknown): CreateOutcomeError {
    return new CreateOutcomeError(
      "Could not tell whether the credential was created",
      `${this.attemptDescription(failure)} Listing the ${this.input.serviceName} credentials of user ${this.input.userName} to find out failed too: ` +
        `${describeAwsError(listing)}. ${this.checkAdvice()}`,
    );
  }

  private nothingYetAfterTimeout(failure: unknown): CreateOutcomeError {
    return new CreateOutcomeError(
      "IAM did not answer in time",
      `${this.attemptDescription(failure)} No new ${this.input.serviceName} credential of user ${this.input.userName} appeared within ` +
        `${Math.round(this.api.settings.propagationTimeoutMs / 1000)} s afterwards, so none was created as far as IAM shows, but the request may still ` +
        `be carried out. ${this.checkAdvice()}`,
    );
  }

  private retriesExhausted(failure: unknown): CreateOutcomeError {
    return new CreateOutcomeError(
      "Could not create the service-specific credential",
      `${this.attemptDescription(failure)} This happened on every one of ${this.retries + 1} attempts (max_retries = ${this.api.settings.maxRetries}); ` +
        "after each one IAM showed no new credential, so none was left behind.",
    );
  }

  private async currentBaseline(signal: AbortSignal): Promise<CreateBaseline> {
    const listedAt = performance.now();
    const all = await this.api.listServiceSpecificCredentials(this.input.userName, this.input.serviceName, signal);
    return { ids: new Set(all.map((c) => c.ServiceSpecificCredentialId ?? "")), listedAt };
  }

  /** Lists until a credential not there before shows up, or `windowMs` has passed; the pauses grow to 5 s. */
  private async lookForNew(windowMs: number, signal: AbortSignal): Promise<LookResult> {
    const deadline = Date.now() + windowMs;
    for (let attempt = 0; ; attempt++) {
      const pause = backoffDelay(attempt, { baseMs: this.timings.pollMs, capMs: 5000, jitter: "none" });
      let all: ServiceSpecificCredentialMetadata[];
      try {
        all = await this.api.listServiceSpecificCredentials(this.input.userName, this.input.serviceName, signal);
      } catch (err) {
        return { failed: err };
      }
      const fresh = all.filter((c) => !this.before!.ids.has(c.ServiceSpecificCredentialId ?? ""));
      if (fresh.length > 0 || Date.now() >= deadline) return { fresh };
      try {
        await sleep(Math.min(pause, Math.max(0, deadline - Date.now())), signal);
      } catch (err) {
        return { failed: err };
      }
    }
  }

  /**
   * Terraform asked us to stop. If a create was in flight, IAM may have carried it out: look
   * for a few seconds (outside the cancelled signal) so that what appeared can be named.
   */
  private async afterInterrupt(_cause: unknown, createInFlight = true): Promise<Error> {
    const interrupted = () =>
      new CreateOutcomeError(
        "Interrupted",
        `Creating a ${this.input.serviceName} credential for user ${this.input.userName} was cancelled because Terraform is stopping` +
          (createInFlight
            ? `. IAM had not answered, and no new credential appeared within ${Math.round(this.timings.interruptGraceMs / 1000)} s; if one appears later, ` +
              `delete or import it. ${this.checkAdvice()}`
            : " (no create request was in flight)."),
      );
    if (!createInFlight || !this.before) return interrupted();
    const grace = AbortSignal.timeout(this.timings.interruptGraceMs + 2000);
    const look = await this.lookForNew(this.timings.interruptGraceMs, grace);
    if ("failed" in look || look.fresh.length === 0) {
      if ("failed" in look) this.logger.warn("could not check for a credential after the interruption", { error: describeAwsError(look.failed) });
      return interrupted();
    }
    return this.unproven(
      look.fresh,
      `Creating a ${this.input.serviceName} credential for user ${this.input.userName} was cancelled because Terraform is stopping, before IAM answered.`,
      "Interrupted; a credential appeared that may be the cancelled one",
    );
  }

  /** Credentials appeared that the lost request may or may not have made: name them, touch none. */
  private unproven(fresh: ServiceSpecificCredentialMetadata[], what: string, summary = "Cannot tell whether the credential was created"): CreateOutcomeError {
    const ids = fresh.map((c) => c.ServiceSpecificCredentialId ?? "");
    const { userName, serviceName } = this.input;
    const one = ids.length === 1;
    const listed = ids.join(", ");
    this.logger.warn("a credential appeared after a create without an answer; not adopting or deleting it", {
      tf_credential_ids: listed,
      user_name: userName,
      service_name: serviceName,
    });
    return new CreateOutcomeError(
      summary,
      `${what} Since then user ${userName} has ${one ? "a new" : `${ids.length} new`} ${serviceName} credential${one ? "" : "s"} (${listed}). ` +
        `${one ? "It" : "One of them"} may be the one this request made, whose secret was in the lost answer, or ${one ? "it" : "they"} may have been created ` +
        "at the same time by something else (another Terraform run, provider alias or script); the provider cannot tell, so it created no other " +
        "credential and did not adopt or delete any. If one is yours and you want it managed here (its secret cannot be read again), import it: " +
        ids.map((id) => `terraform import ${CREDENTIAL_TYPE}.NAME ${serviceName}:${userName}:${id}`).join("; ") +
        ". Or, once you are sure nobody else uses it, delete it: " +
        ids.map((id) => `aws iam delete-service-specific-credential --user-name ${userName} --service-specific-credential-id ${id}`).join("; ") +
        "; then apply again.",
      ids,
    );
  }

  private attemptDescription(failure: unknown): string {
    return `Creating a ${this.input.serviceName} credential for user ${this.input.userName} got no definite answer (${describeAwsError(failure)}).`;
  }

  private checkAdvice(): string {
    return `Check with: aws iam list-service-specific-credentials --user-name ${this.input.userName} --service-name ${this.input.serviceName}`;
  }
}

const CREDENTIAL_TYPE = "aws_iam_service_specific_credential";
