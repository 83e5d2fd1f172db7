// Which failed calls the provider's retry strategy repeats when the server's clock is not ours.
import type { RetryErrorInfo } from "@smithy/types";
import { describe, expect, it } from "vitest";
import { providerRetryStrategy } from "../../src/aws/retry-strategy.ts";
import { startEmulator } from "../../src/emulator/index.ts";
import { IAMClient, GetUserCommand } from "@aws-sdk/client-iam";

function awsError(name: string, status: number, clockSkewCorrected: boolean): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status, clockSkewCorrected } });
}

async function retried(error: Error, errorType: RetryErrorInfo["errorType"]): Promise<boolean> {
  const strategy = providerRetryStrategy({ maxRetries: 3, baseDelayMs: 0, maxDelayMs: 0 });
  const token = await strategy.acquireInitialRetryToken("iam");
  return strategy.refreshRetryTokenForRetry(token, { error, errorType } as RetryErrorInfo).then(
    () => true,
    () => false,
  );
}

describe("a response whose Date header corrected the clock", () => {
  it("is retried when IAM refused the signature's time, not when it answered (NoSuchEntity)", async () => {
    expect(await retried(awsError("RequestTimeTooSkewed", 403, true), "TRANSIENT")).toBe(true);
    expect(await retried(awsError("SignatureDoesNotMatch", 403, true), "TRANSIENT")).toBe(true);
    expect(await retried(awsError("NoSuchEntityException", 404, true), "TRANSIENT")).toBe(false);
    // Server errors and throttling stay retryable whatever the clock did.
    expect(await retried(awsError("ServiceFailure", 500, true), "TRANSIENT")).toBe(true);
    expect(await retried(awsError("Throttling", 400, true), "THROTTLING")).toBe(true);
  });

  it("against an IAM whose clock is two days ahead, a GetUser of a missing user is asked once", async () => {
    const emulator = await startEmulator({ profile: "aws" });
    try {
      await fetch(`${emulator.url}/__emulator/clock`, {
        method: "POST",
        body: JSON.stringify({ advanceDays: 2 }),
        headers: { "content-type": "application/json" },
      });
      const client = new IAMClient({
        endpoint: emulator.url,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        retryStrategy: providerRetryStrategy({ maxRetries: 5, baseDelayMs: 0, maxDelayMs: 0 }),
      });
      await expect(client.send(new GetUserCommand({ UserName: "nobody" }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
      expect(emulator.state().calls.GetUser).toBe(1);
      client.destroy();
    } finally {
      await emulator.close();
    }
  });
});
