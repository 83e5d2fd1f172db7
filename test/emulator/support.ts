// Shared set-up for emulator tests: one emulator per suite, real SDK clients pointed at it.
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/index.ts";

export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export interface ClientOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

export function iamClient(emulator: Emulator, options: ClientOptions = {}): IAMClient {
  return new IAMClient({
    endpoint: emulator.url,
    region: "us-east-1",
    credentials: options.credentials ?? TEST_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
  });
}

export function stsClient(emulator: Emulator, options: ClientOptions = {}): STSClient {
  return new STSClient({
    endpoint: emulator.url,
    region: "us-east-1",
    credentials: options.credentials ?? TEST_CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 1,
  });
}

/** Starts one emulator for the file and resets it before each test. */
export function useEmulator(options: EmulatorOptions = {}): { readonly emulator: Emulator; readonly iam: IAMClient; readonly sts: STSClient } {
  const holder = {} as { emulator: Emulator; iam: IAMClient; sts: STSClient };
  beforeAll(async () => {
    holder.emulator = await startEmulator(options);
    holder.iam = iamClient(holder.emulator);
    holder.sts = stsClient(holder.emulator);
  });
  beforeEach(async () => {
    await control(holder.emulator, "POST", "/reset");
  });
  afterAll(async () => {
    holder.iam?.destroy();
    holder.sts?.destroy();
    await holder.emulator?.close();
  });
  return holder;
}

// biome-ignore lint/suspicious/noExplicitAny: a test helper; each caller reads the fields it expects
export async function control(emulator: Emulator, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${emulator.url}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text === "" ? undefined : JSON.parse(text) };
}

/** Runs the promise and returns what it rejected with; fails if it resolved. */
// biome-ignore lint/suspicious/noExplicitAny: a test helper; each caller reads the fields it expects
export async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
