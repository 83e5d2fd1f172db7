/**
 * The retry strategy's two policies: everything transient for idempotent calls, refusals only
 * for CreateServiceSpecificCredential; and a short budget for an endpoint nobody listens on.
 */
import { describe, expect, it } from "vitest";
import type { RetryErrorInfo, RetryErrorType } from "@smithy/types";
import { MAX_UNREACHABLE_RETRIES, providerRetryStrategy } from "../../src/aws/retry-strategy.ts";

function info(errorType: RetryErrorType, error: object): RetryErrorInfo {
  return { errorType, error: error as RetryErrorInfo["error"] };
}

/** How many retries the strategy grants for one repeated failure. */
async function retriesFor(failure: RetryErrorInfo, retryOn: "all" | "refusals", maxRetries = 5): Promise<number> {
  const strategy = providerRetryStrategy({ maxRetries, retryOn, baseDelayMs: 0, maxDelayMs: 0 });
  let token = await strategy.acquireInitialRetryToken("");
  for (;;) {
    try {
      token = await strategy.refreshRetryTokenForRetry(token, failure);
    } catch {
      return token.getRetryCount();
    }
  }
}

const throttled = info("THROTTLING", { name: "Throttling", $metadata: { httpStatusCode: 400 } });
const serverError = info("TRANSIENT", { name: "ServiceFailure", $metadata: { httpStatusCode: 500 } });
const reset = info("TRANSIENT", { name: "TimeoutError", code: "ECONNRESET", message: "socket hang up" });
const timeout = info("TRANSIENT", { name: "TimeoutError", code: "ETIMEDOUT" });
const refused = info("TRANSIENT", { name: "Error", code: "ECONNREFUSED" });
const limit = info("THROTTLING", { name: "LimitExceededException", $metadata: { httpStatusCode: 409 } });
const notFound = info("CLIENT_ERROR", { name: "NoSuchEntityException", $metadata: { httpStatusCode: 404 } });

describe("providerRetryStrategy", () => {
  it("idempotent calls: throttling, server errors, resets and timeouts are retried max_retries times", async () => {
    for (const f of [throttled, serverError, reset, timeout]) expect(await retriesFor(f, "all")).toBe(5);
  });

  it("non-idempotent calls: only throttling is retried; a lost answer is left to the caller", async () => {
    expect(await retriesFor(throttled, "refusals")).toBe(5);
    for (const f of [serverError, reset, timeout, refused]) expect(await retriesFor(f, "refusals")).toBe(0);
  });

  it("never retries the credential limit or a refusal", async () => {
    expect(await retriesFor(limit, "all")).toBe(0);
    expect(await retriesFor(notFound, "all")).toBe(0);
  });

  it("an endpoint that refuses connections gets a few retries, not max_retries", async () => {
    expect(await retriesFor(refused, "all", 25)).toBe(MAX_UNREACHABLE_RETRIES);
    expect(await retriesFor(refused, "all", 1)).toBe(1);
  });
});
