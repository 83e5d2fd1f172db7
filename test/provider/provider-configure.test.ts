// Configuration precedence and the STS check, in process against the emulator: what the provider
// resolves from the block and the environment, and which calls configure makes. One end-to-end
// case per mechanism stays in aws-provider.test.ts (endpoints block, static keys, profile,
// assume_role, validation, max_retries, a LocalStack block).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { startEmulator } from "../../src/emulator/index.ts";
import { Diagnostics } from "../../src/framework/diagnostics.ts";
import type { IamApi } from "../../src/aws/iam-api.ts";
import { awsProvider } from "../../src/provider/aws-provider.ts";
import { readSettings } from "../../src/provider/provider-settings.ts";
import type { Value } from "../../src/values/value.ts";
import { known, listValue, objectValue } from "../../src/values/value.ts";

// No shared files: only what a case sets can reach the provider.
const base = { AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
const s = (v: string) => known(v);

let plain: Emulator;
let decoy: Emulator;
beforeAll(async () => {
  [plain, decoy] = await Promise.all([startEmulator({ profile: "aws" }), startEmulator({ profile: "aws" })]);
});
afterAll(async () => {
  await Promise.all([plain, decoy].map((e) => e?.close()));
});

const stsCalls = (e: Emulator) => e.state().calls.GetCallerIdentity ?? 0;

async function configure(attrs: Record<string, Value>, env: Record<string, string>) {
  const resp = { client: undefined as IamApi | undefined, diagnostics: new Diagnostics() };
  await awsProvider().configure({ config: objectValue(attrs), signal: AbortSignal.timeout(30_000), env: { ...base, ...env } }, resp);
  return { client: resp.client, diags: resp.diagnostics.items };
}

describe("endpoint precedence", () => {
  it("AWS_ENDPOINT_URL_IAM is used for IAM before AWS_ENDPOINT_URL, which STS falls back to", () => {
    const diags = new Diagnostics();
    const settings = readSettings(
      objectValue({ region: s("us-east-1") }),
      { ...base, AWS_ENDPOINT_URL_IAM: "http://iam.test", AWS_ENDPOINT_URL: "http://all.test" },
      diags,
    );
    expect(diags.items).toEqual([]);
    expect(settings?.endpoints).toEqual({ iam: "http://iam.test", sts: "http://all.test" });
  });

  it("the endpoints block wins over both variables, service by service", () => {
    const diags = new Diagnostics();
    const env = { ...base, AWS_ENDPOINT_URL_IAM: "http://iam.test", AWS_ENDPOINT_URL_STS: "http://sts.test", AWS_ENDPOINT_URL: "http://all.test" };
    const settings = readSettings(
      objectValue({ region: s("us-east-1"), endpoints: listValue([objectValue({ sts: s("http://block-sts.test") })]) }),
      env,
      diags,
    );
    expect(settings?.endpoints).toEqual({ iam: "http://iam.test", sts: "http://block-sts.test" });
  });

  it("configure checks the credentials at the STS endpoint it resolved: AWS_ENDPOINT_URL, not AWS_ENDPOINT_URL_IAM", async () => {
    const before = { plain: stsCalls(plain), decoy: stsCalls(decoy) };
    const { diags } = await configure({ region: s("us-east-1") }, { AWS_ENDPOINT_URL_IAM: plain.url, AWS_ENDPOINT_URL: decoy.url });
    expect(diags).toEqual([]);
    expect(stsCalls(decoy) - before.decoy).toBe(1);
    expect(stsCalls(plain) - before.plain).toBe(0);
  });
});

describe("skip_credentials_validation", () => {
  it("true makes no STS call; false (the default) exactly one GetCallerIdentity per configure", async () => {
    const env = { AWS_ENDPOINT_URL: plain.url };
    let sts = stsCalls(plain);
    expect((await configure({ region: s("us-east-1"), skip_credentials_validation: known(true) }, env)).diags).toEqual([]);
    expect(stsCalls(plain) - sts).toBe(0);

    const checked: Record<string, Value>[] = [{ region: s("us-east-1"), skip_credentials_validation: known(false) }, { region: s("us-east-1") }];
    for (const attrs of checked) {
      sts = stsCalls(plain);
      expect((await configure(attrs, env)).diags).toEqual([]);
      expect(stsCalls(plain) - sts).toBe(1);
    }
  });
});

describe("skip_region_validation", () => {
  it("true accepts a region name AWS does not have, and configure checks the credentials with it", async () => {
    const refused = new Diagnostics();
    readSettings(objectValue({ region: s("mars-1") }), base, refused);
    expect(refused.items.map((d) => d.summary)).toEqual(["Invalid AWS region"]);

    const sts = stsCalls(plain);
    const { client, diags } = await configure({ region: s("mars-1"), skip_region_validation: known(true) }, { AWS_ENDPOINT_URL: plain.url });
    expect(diags).toEqual([]);
    expect(client).toBeDefined();
    expect(stsCalls(plain) - sts).toBe(1);
  });
});
