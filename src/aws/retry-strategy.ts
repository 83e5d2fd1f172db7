/**
 * How AWS calls are retried. The SDK's standard strategy treats IAM's `LimitExceeded` (the
 * two-credentials-per-service limit, which waiting never lifts) as throttling and retries it
 * for a minute, and its retry quota gives up early under sustained throttling. This one retries
 * throttling, server errors and transient network failures with capped, jittered exponential
 * backoff, up to `max_retries`, and never retries a refusal that time will not change.
 *
 * Calls that are not idempotent (creating a credential: each call makes a new one, with a new
 * secret) use `retryOn: "refusals"`: only answers that prove IAM did nothing (throttling) are
 * retried here. A server error, a dropped connection or a timeout leaves open whether IAM
 * acted, and a blind repeat could make a second credential whose twin nobody knows about; the
 * caller resolves those by looking (see credential-create.ts).
 */
import { setTimeout as wait } from "node:timers/promises";
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";
import { awsErrorCode } from "./aws-errors.ts";
import { backoffDelay } from "./backoff.ts";
import type { AdaptiveRateLimiter } from "./adaptive-rate-limiter.ts";
import type { RetryQuota } from "./retry-quota.ts";
import { UNREACHABLE_CODES, networkErrorCode } from "./network-errors.ts";

const FINAL_CODES = new Set(["LimitExceeded", "LimitExceededException"]);

/** Refusals that a corrected clock can turn into an answer: only these are retried for clock skew. */
const CLOCK_SKEW_CODES = new Set([
  "RequestTimeTooSkewed",
  "RequestExpired",
  "RequestInTheFuture",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "AuthFailure",
]);

/**
 * A wrong endpoint (UNREACHABLE_CODES) stays wrong: retry a few times for a restarting server,
 * not `max_retries` times with growing pauses.
 */
export const MAX_UNREACHABLE_RETRIES = 3;

export interface RetryStrategyOptions {
  maxRetries: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * "all" (default): throttling, server errors and transient network failures.
   * "refusals": throttling only, for calls that must not be repeated blindly.
   */
  retryOn?: "all" | "refusals";
  /** Called before each retry, for logging. */
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  /** retry_mode = "adaptive": paces calls after throttling (shared by the process's clients). */
  rateLimiter?: AdaptiveRateLimiter;
  /** token_bucket_rate_limiter_capacity: retries draw on it. */
  quota?: RetryQuota;
  /** Called when the adaptive rate limit changes, for logging. */
  onRateChange?: (callsPerSecond: number) => void;
  /**
   * All attempts of one call end by this many ms after the first began: no retry starts that
   * could still be running then (with attemptTimeoutMs as the worst case for an attempt).
   */
  deadlineMs?: number;
  /** The per-attempt timeout the HTTP handler enforces. */
  attemptTimeoutMs?: number;
  /** How the strategy waits before a first attempt; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

class Token implements RetryToken {
  constructor(
    private readonly count: number,
    private readonly delay: number,
    /** Retry-quota tokens this call's retries have taken. */
    readonly spent = 0,
    /** When the call's first attempt began (Date.now()). */
    readonly startedAt = Date.now(),
  ) {}
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return this.delay;
  }
}

function isRetryable(info: RetryErrorInfo, retryOn: "all" | "refusals" = "all"): boolean {
  const code = awsErrorCode(info.error) ?? "";
  if (FINAL_CODES.has(code)) return false;
  if (retryOn === "refusals") return info.errorType === "THROTTLING";
  // The SDK calls any error "transient" when its Date header moved the clock offset. Where the
  // server's clock differs from ours (a skewed host, the emulator's advanced clock) that can be
  // every answer, and a NoSuchEntity would then be retried max_retries times.
  if (info.errorType === "TRANSIENT" && clockSkewCorrected(info.error) && httpStatus(info.error) < 500 && !CLOCK_SKEW_CODES.has(code)) return false;
  return info.errorType !== "CLIENT_ERROR";
}

function clockSkewCorrected(error: unknown): boolean {
  return (error as { $metadata?: { clockSkewCorrected?: boolean } } | undefined)?.$metadata?.clockSkewCorrected === true;
}

function httpStatus(error: unknown): number {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode ?? 0;
}

export function providerRetryStrategy(options: RetryStrategyOptions): RetryStrategyV2 {
  const base = options.baseDelayMs ?? 100;
  const cap = options.maxDelayMs ?? 20_000;
  const limiter = options.rateLimiter;
  const sleep = options.sleep ?? ((ms: number) => wait(ms));
  const record = (throttled: boolean) => {
    if (!limiter) return;
    const before = limiter.currentRate;
    limiter.record(throttled);
    if (limiter.currentRate !== before) options.onRateChange?.(limiter.currentRate);
  };
  return {
    async acquireInitialRetryToken() {
      const wait = limiter?.reserve() ?? 0;
      if (wait > 0) await sleep(wait);
      return new Token(0, 0);
    },
    async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo) {
      record(info.errorType === "THROTTLING");
      const retries = token.getRetryCount();
      const unreachable = UNREACHABLE_CODES.has(networkErrorCode(info.error) ?? "");
      const budget = unreachable ? Math.min(options.maxRetries, MAX_UNREACHABLE_RETRIES) : options.maxRetries;
      if (!isRetryable(info, options.retryOn) || retries >= budget) throw info.error ?? new Error("retries exhausted");
      const spent = (token as Token).spent ?? 0;
      const startedAt = (token as Token).startedAt ?? Date.now();
      let cost = 0;
      if (options.quota) {
        const taken = options.quota.take(isTimeout(info.error));
        if (taken === undefined) throw info.error ?? new Error("retry quota exhausted");
        cost = taken;
      }
      const hinted = info.retryAfterHint ? info.retryAfterHint.getTime() - Date.now() : 0;
      const backoff = Math.max(hinted, backoffDelay(retries, { baseMs: base, capMs: cap, jitter: "full" }));
      // The retry also waits for its slot under the adaptive rate limit.
      const delay = Math.max(backoff, limiter?.reserve() ?? 0);
      // Without a deadline, 26 attempts on an endpoint that never answers take half an hour.
      if (options.deadlineMs !== undefined && Date.now() - startedAt + delay + (options.attemptTimeoutMs ?? 0) > options.deadlineMs) {
        options.quota?.release(cost);
        throw info.error ?? new Error("call deadline reached");
      }
      options.onRetry?.(retries + 1, delay, info.error);
      return new Token(retries + 1, delay, spent + cost, startedAt);
    },
    recordSuccess(token: RetryToken) {
      record(false);
      options.quota?.release((token as Token).spent ?? 0);
    },
  };
}

function isTimeout(err: unknown): boolean {
  const code = networkErrorCode(err);
  return (err as Error | undefined)?.name === "TimeoutError" || code === "ETIMEDOUT";
}
