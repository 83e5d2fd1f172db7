import { CreateServiceSpecificCredentialCommand, CreateUserCommand, GetUserCommand, ListServiceSpecificCredentialsCommand } from "@aws-sdk/client-iam";
import { expect, test } from "vitest";
import { control, useEmulator } from "./support.ts";

const env = useEmulator();

test("state shows users and credentials with their secrets, and per-action call counts", async () => {
  await env.iam.send(new CreateUserCommand({ UserName: "alice", Tags: [{ Key: "team", Value: "a" }] }));
  const cred = (await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "alice", ServiceName: "codecommit.amazonaws.com" })))
    .ServiceSpecificCredential!;
  const key = await env.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "alice" }));
  expect(key.ServiceSpecificCredentials).toHaveLength(1);

  const { status, json } = await control(env.emulator, "GET", "/state");
  expect(status).toBe(200);
  expect(json.profile).toBe("aws");
  expect(json.accountId).toBe("123456789012");
  expect(json.users).toEqual([
    {
      name: "alice",
      id: expect.stringMatching(/^AIDA/),
      arn: "arn:aws:iam::123456789012:user/alice",
      path: "/",
      createDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      tags: { team: "a" },
      permissionsBoundary: null,
      accessKeys: [],
      hasLoginProfile: false,
    },
  ]);
  expect(json.credentials).toEqual([
    expect.objectContaining({
      id: cred.ServiceSpecificCredentialId,
      userName: "alice",
      serviceName: "codecommit.amazonaws.com",
      status: "Active",
      servicePassword: cred.ServicePassword,
      serviceUserName: "alice-at-123456789012",
      expirationDate: null,
    }),
  ]);
  expect(json.calls).toEqual({ CreateUser: 1, CreateServiceSpecificCredential: 1, ListServiceSpecificCredentials: 1 });
  // The in-process accessor gives the same picture.
  expect(env.emulator.state().credentials[0]!.servicePassword).toBe(cred.ServicePassword);
});

test("reset empties users, credentials, faults, counters and the clock", async () => {
  await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
  await control(env.emulator, "POST", "/faults", { action: "GetUser", delayMs: 1 });
  const moved = (await control(env.emulator, "POST", "/clock", { advanceDays: 10 })).json.now;
  expect((await control(env.emulator, "POST", "/reset")).status).toBe(200);
  const state = (await control(env.emulator, "GET", "/state")).json;
  expect(state.users).toEqual([]);
  expect(state.credentials).toEqual([]);
  expect(state.calls).toEqual({});
  expect((await control(env.emulator, "GET", "/faults")).json.faults).toEqual([]);
  expect(Date.parse(state.now)).toBeLessThan(Date.parse(moved));
});

test("clock advances by days and seconds and dates new objects", async () => {
  const before = Date.parse((await control(env.emulator, "GET", "/clock")).json.now);
  const after = Date.parse((await control(env.emulator, "POST", "/clock", { advanceDays: 3, advanceSeconds: 60 })).json.now);
  expect(after - before).toBeGreaterThanOrEqual(3 * 86_400_000 + 59_000);
  expect(after - before).toBeLessThan(3 * 86_400_000 + 65_000);
  const user = (await env.iam.send(new CreateUserCommand({ UserName: "later" }))).User!;
  expect(user.CreateDate!.getTime()).toBeGreaterThanOrEqual(after);
  expect((await control(env.emulator, "POST", "/clock", {})).status).toBe(400);
  expect((await control(env.emulator, "POST", "/clock", { advanceDays: -1 })).status).toBe(400);
});

test("users and credentials can be seeded without signed requests", async () => {
  const seeded = await control(env.emulator, "POST", "/users", { name: "seed", path: "/s/", tags: { a: "b" } });
  expect(seeded.status).toBe(201);
  expect(seeded.json).toMatchObject({ name: "seed", path: "/s/", tags: { a: "b" }, arn: "arn:aws:iam::123456789012:user/s/seed" });
  expect((await env.iam.send(new GetUserCommand({ UserName: "seed" }))).User!.UserId).toBe(seeded.json.id);
  const cred = await control(env.emulator, "POST", "/credentials", { userName: "seed", serviceName: "bedrock.amazonaws.com", credentialAgeDays: 7 });
  expect(cred.status).toBe(201);
  expect(cred.json).toMatchObject({ userName: "seed", serviceName: "bedrock.amazonaws.com", status: "Active" });
  expect(cred.json.serviceCredentialSecret).toBeTruthy();
  expect(cred.json.expirationDate).toBeTruthy();
  // Seeding goes through the same rules as the API.
  const duplicate = await control(env.emulator, "POST", "/users", { name: "SEED" });
  expect(duplicate.status).toBe(409);
  expect(duplicate.json).toEqual({ error: "User with name SEED already exists.", code: "EntityAlreadyExists" });
  expect((await control(env.emulator, "POST", "/credentials", { userName: "ghost", serviceName: "codecommit.amazonaws.com" })).status).toBe(404);
  expect((await control(env.emulator, "POST", "/users", {})).status).toBe(400);
});

test("unknown endpoints are 404 and bad JSON is 400", async () => {
  expect((await control(env.emulator, "GET", "/nothing")).status).toBe(404);
  expect((await control(env.emulator, "GET", "/reset")).status).toBe(404);
  const bad = await fetch(`${env.emulator.url}/__emulator/faults`, { method: "POST", body: "{not json" });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toMatch(/JSON/);
  expect((await control(env.emulator, "GET", "/health")).json).toEqual({ ok: true, profile: "aws", accountId: "123456789012", strictAuth: false });
});
