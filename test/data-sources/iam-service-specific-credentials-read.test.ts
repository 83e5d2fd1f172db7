// The data source's read, through the real SDK against the emulator in both profiles: order by
// create date, the service filter, import ids, paging to the end, and the errors for an unknown
// user or service (each at its attribute). The Terraform runs are in iam-service-specific-credentials.test.ts.
import { CreateServiceSpecificCredentialCommand, CreateUserCommand } from "@aws-sdk/client-iam";
import { describe, expect, test } from "vitest";
import { IamApi } from "../../src/aws/iam-api.ts";
import { iamServiceSpecificCredentials } from "../../src/data-sources/iam-service-specific-credentials.ts";
import { Diagnostics } from "../../src/framework/diagnostics.ts";
import type { Emulator } from "../../src/emulator/index.ts";
import type { Value } from "../../src/values/value.ts";
import { NULL, asList, asMap, asString, getAttribute, known, objectValue } from "../../src/values/value.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { control, useEmulator } from "../emulator/support.ts";

const logger = createLogger({ level: "off", module: "test" });

function api(emulator: Emulator) {
  return new IamApi(
    {
      region: "us-east-1",
      staticCredentials: { accessKeyId: "test", secretAccessKey: "test" },
      sharedConfigFiles: [],
      sharedCredentialsFiles: [],
      maxRetries: 0,
      endpoints: { iam: emulator.url, sts: emulator.url },
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: true,
      defaultTags: {},
      propagationTimeoutMs: 1000,
    },
    logger,
  );
}

async function read(emulator: Emulator, userName: string, serviceName?: string): Promise<{ state: Value; diags: Diagnostics }> {
  const diags = new Diagnostics();
  const config = objectValue({ id: NULL, user_name: known(userName), service_name: serviceName ? known(serviceName) : NULL, credentials: NULL });
  const resp = { state: NULL, diagnostics: diags };
  await iamServiceSpecificCredentials.read({ config, client: api(emulator), signal: new AbortController().signal, logger }, resp);
  return { state: resp.state, diags };
}

/** The credentials list as plain objects. */
function credentials(state: Value): Record<string, string | null>[] {
  return (asList(getAttribute(state, "credentials")) ?? []).map((c) => Object.fromEntries([...asMap(c)!].map(([k, v]) => [k, asString(v) ?? null])));
}

async function calls(emulator: Emulator): Promise<number> {
  return ((await control(emulator, "GET", "/state")).json.calls.ListServiceSpecificCredentials as number | undefined) ?? 0;
}

describe("aws profile", () => {
  const env = useEmulator();

  async function created(userName: string, serviceName: string, credentialAgeDays?: number): Promise<{ id: string; secret: string }> {
    const out = await env.iam.send(
      new CreateServiceSpecificCredentialCommand({
        UserName: userName,
        ServiceName: serviceName,
        ...(credentialAgeDays ? { CredentialAgeDays: credentialAgeDays } : {}),
      }),
    );
    const c = out.ServiceSpecificCredential!;
    return { id: c.ServiceSpecificCredentialId!, secret: (c.ServicePassword ?? c.ServiceCredentialSecret)! };
  }

  test("lists every credential oldest first, with its import id and metadata, and no secret", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "jane" }));
    // Later services first, each a minute after the last: the order is by date, not by name.
    const logs = await created("jane", "logs.amazonaws.com");
    await control(env.emulator, "POST", "/clock", { advanceSeconds: 60 });
    const codecommit = await created("jane", "codecommit.amazonaws.com");
    await control(env.emulator, "POST", "/clock", { advanceSeconds: 60 });
    const bedrock = await created("jane", "bedrock.amazonaws.com", 30);

    const { state, diags } = await read(env.emulator, "jane");
    expect(diags.items).toEqual([]);
    expect(asString(getAttribute(state, "id"))).toBe("jane");
    const list = credentials(state);
    expect(list.map((c) => c.id)).toEqual([
      `logs.amazonaws.com:jane:${logs.id}`,
      `codecommit.amazonaws.com:jane:${codecommit.id}`,
      `bedrock.amazonaws.com:jane:${bedrock.id}`,
    ]);
    const dates = list.map((c) => Date.parse(c.create_date!));
    expect(dates[1]! - dates[0]!).toBeGreaterThanOrEqual(60_000);
    expect(list[1]).toEqual({
      id: `codecommit.amazonaws.com:jane:${codecommit.id}`,
      service_specific_credential_id: codecommit.id,
      service_name: "codecommit.amazonaws.com",
      service_user_name: "jane-at-123456789012",
      service_credential_alias: null,
      status: "Active",
      create_date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      expiration_date: null,
    });
    expect(list[2]).toMatchObject({ service_user_name: null, service_credential_alias: "jane+1-at-123456789012", status: "Active" });
    expect((Date.parse(list[2]!.expiration_date!) - Date.parse(list[2]!.create_date!)) / 86_400_000).toBe(30);
    const text = JSON.stringify(list);
    for (const secret of [logs.secret, codecommit.secret, bedrock.secret]) expect(text.includes(secret)).toBe(false);
  });

  test("credentials of the same second keep one order: service name, then id", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "same" }));
    // Created back to back, most share a second (dates have no fractions).
    for (const service of ["logs.amazonaws.com", "codecommit.amazonaws.com", "codecommit.amazonaws.com", "bedrock.amazonaws.com"])
      await created("same", service);
    const list = credentials((await read(env.emulator, "same")).state);
    const sorted = [...list].sort(
      (a, b) =>
        a.create_date!.localeCompare(b.create_date!) ||
        a.service_name!.localeCompare(b.service_name!) ||
        a.service_specific_credential_id!.localeCompare(b.service_specific_credential_id!),
    );
    expect(list).toEqual(sorted);
    expect(list).toHaveLength(4);
  });

  test("service_name filters, and the id names the service and the user; the user keeps its configured spelling", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "Mixed" }));
    const first = await created("Mixed", "codecommit.amazonaws.com");
    await created("Mixed", "bedrock.amazonaws.com");
    const second = await created("Mixed", "codecommit.amazonaws.com");
    const { state, diags } = await read(env.emulator, "mixed", "codecommit.amazonaws.com");
    expect(diags.items).toEqual([]);
    expect(asString(getAttribute(state, "id"))).toBe("codecommit.amazonaws.com:mixed");
    expect(
      credentials(state)
        .map((c) => c.id)
        .sort(),
    ).toEqual([`codecommit.amazonaws.com:mixed:${first.id}`, `codecommit.amazonaws.com:mixed:${second.id}`].sort());
  });

  test("a user without credentials has an empty list", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "empty" }));
    for (const service of [undefined, "bedrock.amazonaws.com"]) {
      const { state, diags } = await read(env.emulator, "empty", service);
      expect(diags.items).toEqual([]);
      expect(credentials(state)).toEqual([]);
    }
  });

  test("pages to the end when IAM answers one credential per page", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "pages" }));
    const services = ["codecommit.amazonaws.com", "codecommit.amazonaws.com", "cassandra.amazonaws.com", "bedrock.amazonaws.com", "logs.amazonaws.com"];
    const ids = [];
    for (const service of services) ids.push((await created("pages", service)).id);
    await control(env.emulator, "POST", "/paging", { maxItems: 1 });

    let before = await calls(env.emulator);
    const all = await read(env.emulator, "pages");
    expect(all.diags.items).toEqual([]);
    expect(
      credentials(all.state)
        .map((c) => c.service_specific_credential_id)
        .sort(),
    ).toEqual([...ids].sort());
    expect((await calls(env.emulator)) - before).toBe(5);

    before = await calls(env.emulator);
    const codecommit = await read(env.emulator, "pages", "codecommit.amazonaws.com");
    expect(
      credentials(codecommit.state)
        .map((c) => c.service_specific_credential_id)
        .sort(),
    ).toEqual([ids[0], ids[1]].sort());
    expect((await calls(env.emulator)) - before).toBe(2);
  });

  test("an unknown user is an error at user_name that names the user, with or without a service", async () => {
    for (const service of [undefined, "codecommit.amazonaws.com"]) {
      const { diags } = await read(env.emulator, "nobody-here", service);
      expect(diags.items.map((d) => [d.severity, d.summary, d.path])).toEqual([["error", "IAM user not found", ["user_name"]]]);
      expect(diags.items[0]!.detail).toContain('"nobody-here"');
    }
  });

  test("a service IAM issues no credentials for is an error at service_name", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "svc" }));
    const { diags } = await read(env.emulator, "svc", "s3.amazonaws.com");
    expect(diags.items.map((d) => [d.severity, d.summary, d.path])).toEqual([
      ["error", "Service not supported for service-specific credentials", ["service_name"]],
    ]);
    expect(diags.items[0]!.detail).toContain('"s3.amazonaws.com"');
  });

  test("a failing list is an error that names the user, not an empty list", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "fails" }));
    await control(env.emulator, "POST", "/faults", { action: "ListServiceSpecificCredentials", code: "ServiceFailure", status: 500 });
    const { diags } = await read(env.emulator, "fails");
    expect(diags.items.map((d) => d.summary)).toEqual(["Could not list the service-specific credentials"]);
    expect(diags.items[0]!.detail).toContain("IAM user fails");
    expect(diags.items[0]!.detail).toContain("ServiceFailure");
  });
});

describe("localstack profile (no unfiltered list, no paging)", () => {
  const env = useEmulator({ profile: "localstack" });

  test("lists service by service, and still tells an unknown user from one without credentials", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "ls" }));
    const a = (await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "ls", ServiceName: "cassandra.amazonaws.com" })))
      .ServiceSpecificCredential!;
    await control(env.emulator, "POST", "/clock", { advanceSeconds: 5 });
    const b = (await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "ls", ServiceName: "codecommit.amazonaws.com" })))
      .ServiceSpecificCredential!;
    const { state, diags } = await read(env.emulator, "ls");
    expect(diags.items).toEqual([]);
    expect(credentials(state).map((c) => c.service_specific_credential_id)).toEqual([a.ServiceSpecificCredentialId, b.ServiceSpecificCredentialId]);

    await env.iam.send(new CreateUserCommand({ UserName: "ls-empty" }));
    expect(credentials((await read(env.emulator, "ls-empty")).state)).toEqual([]);

    const missing = await read(env.emulator, "ls-nobody");
    expect(missing.diags.items.map((d) => [d.summary, d.path])).toEqual([["IAM user not found", ["user_name"]]]);
  });
});
