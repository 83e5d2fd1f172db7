/**
 * How AWS calls are retried. The SDK's standard strategy treats IAM's `LimitExceeded` (the
 * two-credentials-per-service limit, which waiting never lifts) as throttling and retries it
 * for a minute, and its retry quota gives up early under sustained throttling. This one retries
 * throttling, server errors and transient network failures with capped, jittered exponential
 * backoff, up to `max_retries`, and never retries a refusal that time will not change.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";
import { awsErrorCode } from "./aws-errors.ts";

const FINAL_CODES = new Set(["LimitExceeded", "LimitExceededException"]);

export interface RetryStrategyOptions {
  maxRetries: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each retry, for logging. */
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

class Token implements RetryToken {
  constructor(
    private readonly count: number,
    private readonly delay: number,
  ) {}
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return this.delay;
  }
}

export function providerRetryStrategy(options: RetryStrategyOptions): RetryStrategyV2 {
  const base = options.baseDelayMs ?? 100;
  const cap = options.maxDelayMs ?? 20_000;
  return {
    async acquireInitialRetryToken() {
      return new Token(0, 0);
    },
    async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo) {
      const retries = token.getRetryCount();
      const retryable = info.errorType !== "CLIENT_ERROR" && !FINAL_CODES.has(awsErrorCode(info.error) ?? "");
      if (!retryable || retries >= options.maxRetries) throw info.error ?? new Error("retries exhausted");
      const hinted = info.retryAfterHint ? info.retryAfterHint.getTime() - Date.now() : 0;
      const delay = Math.max(hinted, Math.floor(Math.random() * Math.min(cap, base * 2 ** retries)));
      options.onRetry?.(retries + 1, delay, info.error);
      return new Token(retries + 1, delay);
    },
    recordSuccess() {},
  };
}
