// Refresh reads that share a user and service reuse one recent listing, through the real SDK
// against the emulator; the emulator's call counter shows how many List calls IAM received.
import { CreateServiceSpecificCredentialCommand, CreateUserCommand, DeleteServiceSpecificCredentialCommand } from "@aws-sdk/client-iam";
import { describe, expect, test } from "vitest";
import { IamApi } from "../../src/aws/iam-api.ts";
import { CredentialListings, credentialListings } from "../../src/resources/credential-listings.ts";
import { createLogger } from "../../src/logging/logger.ts";
import { control, useEmulator } from "../emulator/support.ts";

const env = useEmulator();
const CODECOMMIT = "codecommit.amazonaws.com";
const KEYSPACES = "cassandra.amazonaws.com";
const stop = new AbortController().signal;

function api() {
  return new IamApi(
    {
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
    },
    createLogger({ level: "off", module: "test" }),
  );
}

async function user(name: string, services: string[]): Promise<string[]> {
  await env.iam.send(new CreateUserCommand({ UserName: name }));
  const ids = [];
  for (const service of services) {
    const out = await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: name, ServiceName: service }));
    ids.push(out.ServiceSpecificCredential!.ServiceSpecificCredentialId!);
  }
  return ids;
}

async function listCalls(): Promise<number> {
  const { json } = await control(env.emulator, "GET", "/state");
  return json.calls.ListServiceSpecificCredentials ?? 0;
}

describe("CredentialListings", () => {
  test("two reads of one user's credentials for one service make one List call, even when they overlap", async () => {
    const [a, b] = await user("pair", [CODECOMMIT, CODECOMMIT]);
    const listings = new CredentialListings(api());
    const [foundA, foundB] = await Promise.all([listings.find("pair", CODECOMMIT, a!, stop), listings.find("pair", CODECOMMIT, b!, stop)]);
    expect(foundA?.ServiceSpecificCredentialId).toBe(a);
    expect(foundB?.ServiceSpecificCredentialId).toBe(b);
    expect((await listings.find("pair", CODECOMMIT, b!, stop))?.Status).toBe("Active");
    expect(await listCalls()).toBe(1);
  });

  test("each service and each user is listed on its own, with both filters", async () => {
    const [cc, ks] = await user("mixed", [CODECOMMIT, KEYSPACES]);
    const [other] = await user("other", [CODECOMMIT]);
    const listings = new CredentialListings(api());
    expect((await listings.find("mixed", CODECOMMIT, cc!, stop))?.ServiceName).toBe(CODECOMMIT);
    expect((await listings.find("mixed", KEYSPACES, ks!, stop))?.ServiceName).toBe(KEYSPACES);
    expect((await listings.find("other", CODECOMMIT, other!, stop))?.UserName).toBe("other");
    // A credential of another service is not found through this service's listing.
    expect(await listings.find("mixed", CODECOMMIT, ks!, stop)).toBeUndefined();
    expect(await listCalls()).toBe(4);
  });

  test("a credential missing from a recent listing is asked for again, so a newer one is found", async () => {
    const [first] = await user("late", [CODECOMMIT]);
    const listings = new CredentialListings(api());
    expect(await listings.find("late", CODECOMMIT, first!, stop)).toBeDefined();
    const second = (await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "late", ServiceName: CODECOMMIT }))).ServiceSpecificCredential!;
    expect((await listings.find("late", CODECOMMIT, second.ServiceSpecificCredentialId!, stop))?.ServiceSpecificCredentialId).toBe(
      second.ServiceSpecificCredentialId,
    );
    expect(await listCalls()).toBe(2);
  });

  test("a credential deleted since the listing is reported gone only on a new listing: after forget, or once it is too old", async () => {
    const [a, b] = await user("gone", [CODECOMMIT, CODECOMMIT]);
    let now = 0;
    const listings = new CredentialListings(api(), 30_000, () => now);
    await listings.find("gone", CODECOMMIT, a!, stop);
    await env.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: "gone", ServiceSpecificCredentialId: b! }));
    // Within the walk, the listing stands for IAM's answer at that moment.
    expect(await listings.find("gone", CODECOMMIT, b!, stop)).toBeDefined();
    expect(await listCalls()).toBe(1);
    now = 30_001;
    expect(await listings.find("gone", CODECOMMIT, b!, stop)).toBeUndefined();
    expect(await listCalls()).toBe(2);
    await env.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: "gone", ServiceSpecificCredentialId: a! }));
    expect(await listings.find("gone", CODECOMMIT, a!, stop)).toBeDefined();
    listings.forget("gone", CODECOMMIT);
    expect(await listings.find("gone", CODECOMMIT, a!, stop)).toBeUndefined();
    expect(await listCalls()).toBe(3);
  });

  test("forget without a service drops every service's listing of that user, and only that user's", async () => {
    const [cc, ks] = await user("both", [CODECOMMIT, KEYSPACES]);
    const [keep] = await user("bothx", [CODECOMMIT]);
    const listings = new CredentialListings(api());
    await listings.find("both", CODECOMMIT, cc!, stop);
    await listings.find("both", KEYSPACES, ks!, stop);
    await listings.find("bothx", CODECOMMIT, keep!, stop);
    listings.forget("both");
    await listings.find("both", CODECOMMIT, cc!, stop);
    await listings.find("both", KEYSPACES, ks!, stop);
    await listings.find("bothx", CODECOMMIT, keep!, stop);
    expect(await listCalls()).toBe(5);
  });

  test("a failed listing is nobody's answer: a read sharing it asks on its own, and the error is not kept", async () => {
    const [a, b] = await user("flaky", [CODECOMMIT, CODECOMMIT]);
    const listings = new CredentialListings(api());
    await control(env.emulator, "POST", "/faults", { action: "ListServiceSpecificCredentials", code: "ServiceFailure", status: 500, count: 1 });
    const [first, second] = await Promise.allSettled([listings.find("flaky", CODECOMMIT, a!, stop), listings.find("flaky", CODECOMMIT, b!, stop)]);
    expect(first.status).toBe("rejected");
    expect(second.status === "fulfilled" && second.value?.ServiceSpecificCredentialId).toBe(b);
    expect((await listings.find("flaky", CODECOMMIT, a!, stop))?.ServiceSpecificCredentialId).toBe(a);
    expect(await listCalls()).toBe(2);
  });

  test("a change drops the user's listing whatever its outcome, so the next read lists again", async () => {
    const [a] = await user("changed", [CODECOMMIT]);
    const listings = new CredentialListings(api());
    await listings.find("changed", CODECOMMIT, a!, stop);
    await expect(listings.changing("changed", CODECOMMIT, async () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    await listings.find("changed", CODECOMMIT, a!, stop);
    expect(await listings.changing("changed", undefined, async () => "done")).toBe("done");
    await listings.find("changed", CODECOMMIT, a!, stop);
    expect(await listCalls()).toBe(3);
  });

  test("a long walk over many users holds its fresh listings and drops the expired ones", async () => {
    const names = Array.from({ length: 700 }, (_, i) => `many-${i}`);
    for (const name of names) await control(env.emulator, "POST", "/users", { name });
    let now = 0;
    const listings = new CredentialListings(api(), 30_000, () => now);
    for (const name of names.slice(0, 400)) await listings.find(name, CODECOMMIT, "ACCAEXAMPLE", stop);
    now = 31_000;
    for (const name of names.slice(400)) await listings.find(name, CODECOMMIT, "ACCAEXAMPLE", stop);
    // The 400 expired listings went in the sweep once 512 were held; the 300 fresh ones stay.
    expect(listings.size).toBe(300);
    expect(await listCalls()).toBe(700);
  });

  test("NoSuchEntity for the user reaches the caller", async () => {
    const listings = new CredentialListings(api());
    await expect(listings.find("nobody", CODECOMMIT, "ACCAEXAMPLE", stop)).rejects.toMatchObject({ name: "NoSuchEntityException" });
  });

  test("one set of listings per configured client", () => {
    const one = api();
    expect(credentialListings(one)).toBe(credentialListings(one));
    expect(credentialListings(api())).not.toBe(credentialListings(one));
  });
});
