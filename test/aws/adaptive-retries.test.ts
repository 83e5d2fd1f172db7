// retry_mode and token_bucket_rate_limiter_capacity, through the retry strategy the SDK calls.
import { describe, expect, it } from "vitest";
import type { RetryErrorInfo } from "@smithy/types";
import { AdaptiveRateLimiter } from "../../src/aws/adaptive-rate-limiter.ts";
import { RetryQuota } from "../../src/aws/retry-quota.ts";
import { providerRetryStrategy } from "../../src/aws/retry-strategy.ts";

const throttled: RetryErrorInfo = { errorType: "THROTTLING", error: Object.assign(new Error("Rate exceeded"), { name: "Throttling" }) } as RetryErrorInfo;
const serverError: RetryErrorInfo = { errorType: "SERVER_ERROR", error: Object.assign(new Error("boom"), { name: "ServiceFailure" }) } as RetryErrorInfo;

function fakeClock() {
  let now = 1_000_000;
  const waits: number[] = [];
  return { clock: { now: () => now }, sleep: async (ms: number) => void waits.push(ms), advance: (ms: number) => (now += ms), waits };
}

describe("retry_mode", () => {
  it("standard: calls are never held back, even after throttling", async () => {
    const t = fakeClock();
    const strategy = providerRetryStrategy({ maxRetries: 3, baseDelayMs: 0, maxDelayMs: 0, sleep: t.sleep });
    const token = await strategy.acquireInitialRetryToken("iam");
    await strategy.refreshRetryTokenForRetry(token, throttled);
    for (let i = 0; i < 5; i++) await strategy.acquireInitialRetryToken("iam");
    expect(t.waits).toEqual([]);
  });

  it("adaptive: after a throttle, later calls wait for slots at the lowered rate; successes let the rate recover", async () => {
    const t = fakeClock();
    const limiter = new AdaptiveRateLimiter(t.clock);
    const rates: number[] = [];
    const strategy = providerRetryStrategy({
      maxRetries: 3,
      baseDelayMs: 0,
      maxDelayMs: 0,
      sleep: t.sleep,
      rateLimiter: limiter,
      onRateChange: (r) => rates.push(r),
    });
    for (let i = 0; i < 4; i++) await strategy.acquireInitialRetryToken("iam");
    expect(t.waits).toEqual([]);
    const token = await strategy.acquireInitialRetryToken("iam");
    const retry = await strategy.refreshRetryTokenForRetry(token, throttled);
    // Five calls in the last second, throttled: paced at 70% of that.
    expect(limiter.currentRate).toBeCloseTo(3.5);
    expect(rates).toEqual([3.5]);
    for (let i = 0; i < 3; i++) await strategy.acquireInitialRetryToken("iam");
    expect(t.waits.length).toBe(3);
    expect(t.waits[2]!).toBeGreaterThan(t.waits[0]!);
    expect(retry.getRetryDelay()).toBe(0); // the retry took the first slot
    const before = limiter.currentRate;
    strategy.recordSuccess(retry);
    expect(limiter.currentRate).toBeGreaterThan(before);
    // Enough successes lift the limit altogether.
    for (let i = 0; i < 100; i++) limiter.record(false);
    expect(limiter.currentRate).toBe(Infinity);
  });
});

describe("token_bucket_rate_limiter_capacity", () => {
  it("retries draw on a shared quota; an empty quota returns the failure instead of retrying; successes refill it", async () => {
    const quota = new RetryQuota(10);
    const strategy = providerRetryStrategy({ maxRetries: 25, baseDelayMs: 0, maxDelayMs: 0, quota });
    const a = await strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken("iam"), serverError);
    await strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken("iam"), serverError);
    expect(quota.available).toBe(0);
    await expect(strategy.refreshRetryTokenForRetry(await strategy.acquireInitialRetryToken("iam"), serverError)).rejects.toThrow("boom");
    strategy.recordSuccess(a);
    expect(quota.available).toBe(5);
    strategy.recordSuccess(await strategy.acquireInitialRetryToken("iam"));
    expect(quota.available).toBe(6);
  });

  it("without a quota, max_retries alone limits retries", async () => {
    const strategy = providerRetryStrategy({ maxRetries: 25, baseDelayMs: 0, maxDelayMs: 0 });
    let token = await strategy.acquireInitialRetryToken("iam");
    for (let i = 0; i < 25; i++) token = await strategy.refreshRetryTokenForRetry(token, serverError);
    expect(token.getRetryCount()).toBe(25);
  });
});
