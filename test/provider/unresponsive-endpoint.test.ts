/**
 * Issue 13 item 10: an endpoint that accepts connections and never answers. Real Terraform
 * must fail within the configured bound with a timeout of the service it called (STS at
 * configure), not "Invalid AWS credentials"; wrong credentials must still read as wrong
 * credentials. An IAM call on such an endpoint is checked directly (IamApi).
 */
import { spawn } from "node:child_process";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { ROOT_ACCESS_KEY_ID, startEmulator } from "../../src/emulator/index.ts";
import { IamApi, RequestTimeoutError } from "../../src/aws/iam-api.ts";
import { providerRetryStrategy } from "../../src/aws/retry-strategy.ts";
import type { RetryErrorInfo } from "@smithy/types";
import { createLogger } from "../../src/logging/logger.ts";
import { TerraformWorkingDir, type TerraformResult } from "../harness/index.ts";
import { cleanEnv } from "./provider-block-support.ts";

/** Generous: with the settings below the provider gives up after about 2 s. */
const BOUND_MS = 60_000;

let scratch: string;
let silent: Server;
let silentUrl: string;
const sockets = new Set<Socket>();
let strict: Emulator;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "unresponsive-"));
  // Accepts TCP and reads the request, never writes a byte back.
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.resume();
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  strict = await startEmulator({ profile: "aws", strictAuth: true });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  await strict.close();
  await rm(scratch, { recursive: true, force: true });
});

/** terraform `args`, killed (and reported as such) if it outlives BOUND_MS. */
async function runBounded(w: TerraformWorkingDir, args: string[]): Promise<TerraformResult & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", args, { cwd: w.dir, env: { ...process.env, ...w.env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      // The whole group: Terraform and the provider process it started.
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, BOUND_MS);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, killed });
    });
  });
}

const config = (block: string) => `provider "aws" {\n  region = "us-east-1"\n${block}\n}\nresource "aws_iam_user" "u" {\n  name = "unresponsive-user"\n}\n`;
const shortWaits = { TF_AWS_IAM_REQUEST_TIMEOUT: "0.5", TF_AWS_IAM_CALL_TIMEOUT: "2" };
const text = (r: TerraformResult) => (r.stdout + r.stderr).replace(/\s+/g, " ");

async function plan(block: string, env: Record<string, string>) {
  const w = await TerraformWorkingDir.create({
    env: cleanEnv(scratch, { AWS_ACCESS_KEY_ID: ROOT_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: "secret-that-must-not-show", ...env }),
  });
  try {
    await w.writeConfig(config(block));
    return await runBounded(w, ["plan", "-no-color"]);
  } finally {
    await w.cleanup();
  }
}

describe("an endpoint that accepts connections and never answers", () => {
  it(
    "plan fails within TF_AWS_IAM_CALL_TIMEOUT with a timeout of STS GetCallerIdentity at that endpoint, not a credentials error",
    async () => {
      const result = await plan(`  endpoints {\n    sts = "${silentUrl}"\n    iam = "${silentUrl}"\n  }`, shortWaits);
      expect(result.killed).toBe(false);
      expect(result.code).toBe(1);
      const out = text(result);
      expect(out).toContain("Error: STS did not answer");
      expect(out).toContain(`STS did not answer GetCallerIdentity within 0.5 s`);
      expect(out).toContain(`at ${silentUrl}`);
      expect(out).toMatch(/TF_AWS_IAM_REQUEST_TIMEOUT/);
      expect(out).toMatch(/TF_AWS_IAM_CALL_TIMEOUT/);
      expect(out).not.toMatch(/Invalid AWS credentials|IAM did not answer|Check access_key/);
      expect(out).not.toContain("secret-that-must-not-show");
    },
    BOUND_MS + 30_000,
  );

  it(
    "wrong credentials against a live endpoint are still reported as wrong credentials",
    async () => {
      const result = await plan(
        `  secret_key = "wrong-secret-0123"\n  access_key = "${ROOT_ACCESS_KEY_ID}"\n  endpoints {\n    sts = "${strict.url}"\n    iam = "${strict.url}"\n  }`,
        shortWaits,
      );
      expect(result.killed).toBe(false);
      expect(result.code).toBe(1);
      const out = text(result);
      expect(out).toContain("Error: Invalid AWS credentials");
      expect(out).toMatch(/did not accept the configured credentials \(SignatureDoesNotMatch\)\. Check access_key\/secret_key/);
      expect(out).not.toMatch(/did not answer/);
      expect(out).not.toContain("wrong-secret-0123");
    },
    BOUND_MS + 30_000,
  );

  it(
    "an IAM call on it ends, within the call deadline, in a RequestTimeoutError that names IAM and the endpoint",
    async () => {
      const api = new IamApi(
        {
          region: "us-east-1",
          staticCredentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "x" },
          sharedConfigFiles: [],
          sharedCredentialsFiles: [],
          maxRetries: 25,
          endpoints: { iam: silentUrl, sts: silentUrl },
          skipCredentialsValidation: true,
          skipRequestingAccountId: true,
          skipMetadataApiCheck: true,
          defaultTags: {},
          propagationTimeoutMs: 1000,
          requestTimeoutMs: 300,
          callTimeoutMs: 1000,
        },
        createLogger({ level: "off", module: "test" }),
      );
      const err = await api.getUser("someone").then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(RequestTimeoutError);
      const timeout = err as RequestTimeoutError;
      expect(timeout.service).toBe("IAM");
      expect(timeout.endpoint).toBe(silentUrl);
      expect(timeout.attempts).toBeGreaterThanOrEqual(1);
      expect(timeout.attempts).toBeLessThan(26);
      expect(timeout.message).toMatch(/^IAM did not answer GetUser within 0\.3 s/);
    },
    BOUND_MS,
  );
});

describe("the call deadline in the retry strategy", () => {
  const timeout = {
    errorType: "TRANSIENT",
    error: { name: "TimeoutError", code: "ETIMEDOUT", message: "timed out" } as unknown as RetryErrorInfo["error"],
  } satisfies RetryErrorInfo;
  const retriesWithin = async (deadlineMs: number, attemptTimeoutMs: number) => {
    const strategy = providerRetryStrategy({ maxRetries: 25, baseDelayMs: 0, maxDelayMs: 0, deadlineMs, attemptTimeoutMs });
    let token = await strategy.acquireInitialRetryToken("");
    for (;;) {
      try {
        token = await strategy.refreshRetryTokenForRetry(token, timeout);
      } catch {
        return token.getRetryCount();
      }
    }
  };

  it("starts no retry whose attempt could end after the deadline", async () => {
    expect(await retriesWithin(1_000, 60_000)).toBe(0);
    expect(await retriesWithin(3_600_000, 1)).toBe(25);
  });
});
