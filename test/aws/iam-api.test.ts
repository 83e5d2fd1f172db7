// IamApi against the emulator: reads of one user's credentials that overlap share one List
// request; lists for creates never do.
import { describe, expect, test } from "vitest";
import { IamApi } from "../../src/aws/iam-api.ts";
import type { AwsSettings } from "../../src/aws/aws-settings.ts";
import { createLogger } from "../../src/transport/logger.ts";
import { control, useEmulator } from "../emulator/support.ts";

const env = useEmulator();
const SERVICE = "codecommit.amazonaws.com";

function api(): IamApi {
  const settings: AwsSettings = {
    region: "us-east-1",
    staticCredentials: { accessKeyId: "test", secretAccessKey: "test" },
    sharedConfigFiles: [],
    sharedCredentialsFiles: [],
    maxRetries: 0,
    endpoints: { iam: env.emulator.url, sts: env.emulator.url },
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: true,
    defaultTags: {},
    propagationTimeoutMs: 1000,
  };
  return new IamApi(settings, createLogger({ level: "off", module: "test" }));
}

async function listCalls(): Promise<number> {
  return (await control(env.emulator, "GET", "/state")).json.calls.ListServiceSpecificCredentials ?? 0;
}

describe("listServiceSpecificCredentialsForRead", () => {
  test("overlapping reads of one user share one request; the next read sends its own", async () => {
    const iam = api();
    await control(env.emulator, "POST", "/users", { name: "ann" });
    const a = await iam.createServiceSpecificCredential({ userName: "ann", serviceName: SERVICE });
    const b = await iam.createServiceSpecificCredential({ userName: "ann", serviceName: SERVICE });
    const stop = new AbortController().signal;
    const before = await listCalls();
    const [first, second] = await Promise.all([
      iam.listServiceSpecificCredentialsForRead("ann", SERVICE, stop),
      iam.listServiceSpecificCredentialsForRead("ann", SERVICE, stop),
    ]);
    expect(first.map((c) => c.ServiceSpecificCredentialId).sort()).toEqual([a.ServiceSpecificCredentialId, b.ServiceSpecificCredentialId].sort());
    expect(second).toBe(first);
    expect((await listCalls()) - before).toBe(1);

    // Once answered, nothing is cached: a later read sees a deletion.
    await iam.deleteServiceSpecificCredential("ann", a.ServiceSpecificCredentialId!);
    const later = await iam.listServiceSpecificCredentialsForRead("ann", SERVICE, stop);
    expect(later.map((c) => c.ServiceSpecificCredentialId)).toEqual([b.ServiceSpecificCredentialId]);
    expect((await listCalls()) - before).toBe(2);
  });

  test("other users, other signals and the create path's lists are never shared", async () => {
    const iam = api();
    for (const name of ["bo", "cy"]) await control(env.emulator, "POST", "/users", { name });
    const stop = new AbortController().signal;
    const before = await listCalls();
    await Promise.all([
      iam.listServiceSpecificCredentialsForRead("bo", SERVICE, stop),
      iam.listServiceSpecificCredentialsForRead("cy", SERVICE, stop),
      iam.listServiceSpecificCredentialsForRead("bo", SERVICE, new AbortController().signal),
      iam.listServiceSpecificCredentials("bo", SERVICE, stop),
      iam.listServiceSpecificCredentials("bo", SERVICE, stop),
    ]);
    expect((await listCalls()) - before).toBe(5);
  });

  test("a failed list fails every read that shared it, and the next read tries again", async () => {
    const iam = api();
    await control(env.emulator, "POST", "/users", { name: "di" });
    await control(env.emulator, "POST", "/faults", { action: "ListServiceSpecificCredentials", code: "AccessDenied", status: 403, count: 1 });
    const stop = new AbortController().signal;
    const results = await Promise.allSettled([
      iam.listServiceSpecificCredentialsForRead("di", SERVICE, stop),
      iam.listServiceSpecificCredentialsForRead("di", SERVICE, stop),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    await expect(iam.listServiceSpecificCredentialsForRead("di", SERVICE, stop)).resolves.toEqual([]);
  });
});
