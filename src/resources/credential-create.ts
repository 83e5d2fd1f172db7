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
 *   1. It lists the user's credentials for the service before the first attempt.
 *   2. After an attempt whose outcome is unknown it lists again; a credential that was not
 *      there before was made by that attempt. Creates for one user and service run one at a
 *      time in this process (the caller holds the lock), so no other create of ours can be
 *      the author.
 *   3. Nothing new: nothing was created, and the create is tried again (with backoff, within
 *      max_retries). One new credential: its secret was in the lost answer and can never be
 *      read again, so it is deleted and the create is tried once more. A credential the user
 *      cannot use is worth nothing to them, a retry that succeeds gives them what they asked
 *      for in the same apply, and deleting it returns the allowance it took. If that retry
 *      loses its answer too, or the credential cannot be deleted, it is handed back to be
 *      stored (tainted, without a secret) with an error naming it, so the next apply replaces
 *      it and nothing is orphaned.
 *   4. After a timeout the request may still be running inside IAM, so it waits up to the
 *      propagation timeout for a late credential before concluding; it does not try again
 *      (the same slowness would strike again), and a late credential is kept, tainted.
 *   5. Ctrl-C (StopProvider) while a create is in flight: the call is cancelled, and the
 *      provider looks for a few seconds for a credential that IAM created anyway, so that it
 *      too is stored rather than lost.
 *
 * More than one new credential means someone else is creating credentials for the same user
 * and service at the same time; none is touched, and the error names them all.
 */
import type { IamApi, ServiceSpecificCredential, ServiceSpecificCredentialMetadata } from "../aws/iam-api.ts";
import { RequestTimeoutError, outcomeUnknown } from "../aws/iam-api.ts";
import { describeAwsError, isAbort, isNoSuchEntity } from "../aws/aws-errors.ts";
import { sleep } from "../aws/propagation-retry.ts";
import type { Logger } from "../transport/logger.ts";

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

export const DEFAULT_TIMINGS: CreateTimings = { settleMs: 1000, pollMs: 500, interruptGraceMs: 5000 };

/** How many credentials created without an answer are deleted and made again, per resource. */
export const MAX_RECREATIONS = 1;

/**
 * The create ended without a credential whose secret we hold. `orphan`, when set, exists in
 * IAM and must be stored (tainted) so that it is not lost.
 */
export class CreateOutcomeError extends Error {
  override readonly name = "CreateOutcomeError";
  constructor(
    readonly summary: string,
    detail: string,
    readonly orphan?: ServiceSpecificCredentialMetadata,
  ) {
    super(detail);
  }
}

type LookResult = { fresh: ServiceSpecificCredentialMetadata[] } | { failed: unknown };

export class CredentialCreation {
  /** Credential ids the user had for the service before our first attempt. */
  private before: Set<string> | undefined;
  private retries = 0;
  private recreations = 0;
  /** Credentials made without an answer and then deleted by us. */
  readonly recovered: string[] = [];

  constructor(
    private readonly api: IamApi,
    private readonly input: CreateInput,
    private readonly signal: AbortSignal,
    private readonly logger: Logger,
    private readonly timings: CreateTimings = DEFAULT_TIMINGS,
  ) {}

  /**
   * Creates the credential. Throws the IAM error for a refusal (NoSuchEntity, LimitExceeded…),
   * which the caller may retry by calling this again, or a CreateOutcomeError.
   */
  async create(): Promise<ServiceSpecificCredential> {
    this.before ??= await this.currentIds(this.signal);
    for (;;) {
      let failure: unknown;
      try {
        return await this.api.createServiceSpecificCredential(this.input, this.signal);
      } catch (err) {
        failure = err;
      }
      if (this.signal.aborted || isAbort(failure)) throw await this.afterInterrupt(failure);
      if (!outcomeUnknown(failure)) throw failure;

      const timedOut = failure instanceof RequestTimeoutError;
      this.logger.warn("CreateServiceSpecificCredential ended without an answer; checking whether IAM created a credential", {
        user_name: this.input.userName,
        service_name: this.input.serviceName,
        error: describeAwsError(failure),
      });
      const look = await this.lookForNew(timedOut ? this.api.settings.propagationTimeoutMs : this.timings.settleMs, this.signal);
      if ("failed" in look) {
        if (this.signal.aborted || isAbort(look.failed)) throw await this.afterInterrupt(look.failed);
        throw new CreateOutcomeError(
          "Could not tell whether the credential was created",
          `${this.attemptDescription(failure)} Listing the ${this.input.serviceName} credentials of user ${this.input.userName} to find out failed too: ` +
            `${describeAwsError(look.failed)}. ${this.checkAdvice()}`,
        );
      }
      const { fresh } = look;
      if (fresh.length > 1) throw this.severalNew(fresh, failure);
      if (fresh.length === 1) {
        const orphan = fresh[0]!;
        const id = orphan.ServiceSpecificCredentialId!;
        if (timedOut || this.recreations >= MAX_RECREATIONS) throw this.keep(orphan, failure);
        try {
          await this.api.deleteServiceSpecificCredential(this.input.userName, id, this.signal);
        } catch (err) {
          if (!isNoSuchEntity(err)) {
            throw new CreateOutcomeError(
              "Credential created without its secret",
              `${this.attemptDescription(failure)} IAM did create credential ${id}, whose secret was in the lost answer, and deleting it failed: ` +
                `${describeAwsError(err)}. It is kept in the state as tainted, without a secret; the next apply replaces it.`,
              orphan,
            );
          }
        }
        this.recreations++;
        this.recovered.push(id);
        this.before.delete(id);
        this.logger.warn("deleted a credential whose Create answer was lost; creating it again", {
          tf_credential_id: id,
          user_name: this.input.userName,
          service_name: this.input.serviceName,
        });
        continue;
      }
      // Nothing was created.
      if (timedOut) {
        throw new CreateOutcomeError(
          "IAM did not answer in time",
          `${this.attemptDescription(failure)} No new ${this.input.serviceName} credential of user ${this.input.userName} appeared within ` +
            `${Math.round(this.api.settings.propagationTimeoutMs / 1000)} s afterwards, so none was created as far as IAM shows, but the request may still ` +
            `be carried out. ${this.checkAdvice()}`,
        );
      }
      if (this.retries >= this.api.settings.maxRetries) {
        throw new CreateOutcomeError(
          "Could not create the service-specific credential",
          `${this.attemptDescription(failure)} This happened on every one of ${this.retries + 1} attempts (max_retries = ${this.api.settings.maxRetries}); ` +
            "after each one IAM showed no new credential, so none was left behind.",
        );
      }
      this.retries++;
      const delay = Math.floor(Math.random() * Math.min(5000, 100 * 2 ** this.retries));
      this.logger.debug("retrying AWS call", { attempt: this.retries, delay_ms: delay, error_code: "CreateServiceSpecificCredential: no credential created" });
      try {
        await sleep(delay, this.signal);
      } catch (err) {
        throw await this.afterInterrupt(err, false);
      }
    }
  }

  private async currentIds(signal: AbortSignal): Promise<Set<string>> {
    const all = await this.api.listServiceSpecificCredentials(this.input.userName, this.input.serviceName, signal);
    return new Set(all.map((c) => c.ServiceSpecificCredentialId ?? ""));
  }

  /** Lists until a credential not there before shows up, or `windowMs` has passed; the pauses grow to 5 s. */
  private async lookForNew(windowMs: number, signal: AbortSignal): Promise<LookResult> {
    const deadline = Date.now() + windowMs;
    for (let pause = this.timings.pollMs; ; pause = Math.min(5000, pause * 2)) {
      let all: ServiceSpecificCredentialMetadata[];
      try {
        all = await this.api.listServiceSpecificCredentials(this.input.userName, this.input.serviceName, signal);
      } catch (err) {
        return { failed: err };
      }
      const fresh = all.filter((c) => !this.before!.has(c.ServiceSpecificCredentialId ?? ""));
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
   * for the result for a few seconds (outside the cancelled signal) so it can be stored.
   */
  private async afterInterrupt(cause: unknown, createInFlight = true): Promise<Error> {
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
    if (look.fresh.length > 1) return this.severalNew(look.fresh, cause);
    const orphan = look.fresh[0]!;
    return new CreateOutcomeError(
      "Interrupted after IAM created the credential",
      `Terraform is stopping, so the request creating a ${this.input.serviceName} credential for user ${this.input.userName} was cancelled, ` +
        `but IAM created credential ${orphan.ServiceSpecificCredentialId} anyway. Its secret was in the cancelled answer; the credential is kept in the ` +
        "state as tainted, without a secret, and the next apply replaces it.",
      orphan,
    );
  }

  private keep(orphan: ServiceSpecificCredentialMetadata, failure: unknown): CreateOutcomeError {
    const id = orphan.ServiceSpecificCredentialId;
    const again = this.recovered.length > 0 ? ` It had already deleted ${this.recovered.join(", ")}, created the same way, and tried again.` : "";
    return new CreateOutcomeError(
      "Credential created without its secret",
      `${this.attemptDescription(failure)} IAM did create credential ${id}, but its secret was in the lost answer and cannot be read again.${again} ` +
        "The credential is kept in the state as tainted, without a secret; the next apply replaces it.",
      orphan,
    );
  }

  private severalNew(fresh: ServiceSpecificCredentialMetadata[], failure: unknown): CreateOutcomeError {
    const ids = fresh.map((c) => c.ServiceSpecificCredentialId).join(", ");
    return new CreateOutcomeError(
      "Credentials created concurrently",
      `${this.attemptDescription(failure)} Meanwhile user ${this.input.userName} got ${fresh.length} new ${this.input.serviceName} credentials (${ids}); ` +
        "something else is creating them at the same time, so none of them is adopted or deleted. Delete or import the ones you do not recognise.",
    );
  }

  private attemptDescription(failure: unknown): string {
    return `Creating a ${this.input.serviceName} credential for user ${this.input.userName} got no definite answer (${describeAwsError(failure)}).`;
  }

  private checkAdvice(): string {
    return `Check with: aws iam list-service-specific-credentials --user-name ${this.input.userName} --service-name ${this.input.serviceName}`;
  }
}
