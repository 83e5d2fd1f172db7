import { CreateAccessKeyCommand, CreateUserCommand, DeleteAccessKeyCommand, GetUserCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET_ACCESS_KEY, startEmulator, type Emulator } from "../../src/emulator/index.ts";
import { control, failure, iamClient, stsClient } from "./support.ts";

const ROOT = { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: ROOT_SECRET_ACCESS_KEY };
const INVALID_TOKEN = "The security token included in the request is invalid.";

describe("strict auth", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ strictAuth: true });
  });
  afterAll(() => emulator.close());

  test("the root key pair is accepted and identifies as root", async () => {
    const sts = stsClient(emulator, { credentials: ROOT });
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe("arn:aws:iam::123456789012:root");
    sts.destroy();
  });

  test("an unknown key is InvalidClientTokenId 403", async () => {
    const iam = iamClient(emulator);
    const error = await failure(iam.send(new ListUsersCommand({})));
    expect(error.Code).toBe("InvalidClientTokenId");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe(INVALID_TOKEN);
    iam.destroy();
  });

  test("a wrong secret is SignatureDoesNotMatch 403", async () => {
    const iam = iamClient(emulator, { credentials: { accessKeyId: ROOT_ACCESS_KEY_ID, secretAccessKey: "wrong-secret" } });
    const error = await failure(iam.send(new ListUsersCommand({})));
    expect(error.Code).toBe("SignatureDoesNotMatch");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
    iam.destroy();
  });

  test("a body altered after signing fails verification", async () => {
    // The SDK signs x-amz-content-sha256, so the body is checked against that header.
    const iam = iamClient(emulator, { credentials: ROOT });
    iam.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: string };
        request.body = request.body.replace("MaxItems=5", "MaxItems=6");
        return next(args);
      },
      { step: "finalizeRequest", priority: "low" },
    );
    const error = await failure(iam.send(new ListUsersCommand({ MaxItems: 5 })));
    expect(error.Code).toBe("XAmzContentSHA256Mismatch");
    expect(error.$metadata.httpStatusCode).toBe(400);
    iam.destroy();
  });

  test("keys made by CreateAccessKey work until deleted", async () => {
    const root = iamClient(emulator, { credentials: ROOT });
    await root.send(new CreateUserCommand({ UserName: "alice" }));
    const key = (await root.send(new CreateAccessKeyCommand({ UserName: "alice" }))).AccessKey!;
    const alice = iamClient(emulator, { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
    expect((await alice.send(new GetUserCommand({}))).User!.UserName).toBe("alice");
    await root.send(new DeleteAccessKeyCommand({ UserName: "alice", AccessKeyId: key.AccessKeyId }));
    const error = await failure(alice.send(new GetUserCommand({})));
    expect(error.Code).toBe("InvalidClientTokenId");
    root.destroy();
    alice.destroy();
  });

  test("AssumeRole credentials are usable only with their session token, and expire", async () => {
    const root = stsClient(emulator, { credentials: ROOT });
    const creds = (await root.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/ops", RoleSessionName: "s1" }))).Credentials!;
    root.destroy();
    const session = { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! };
    const good = stsClient(emulator, { credentials: session });
    expect((await good.send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:sts::123456789012:assumed-role/ops/s1");

    const noToken = stsClient(emulator, { credentials: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey } });
    const missing = await failure(noToken.send(new GetCallerIdentityCommand({})));
    expect(missing.Code).toBe("InvalidClientTokenId");
    expect(missing.$metadata.httpStatusCode).toBe(403);
    noToken.destroy();

    await control(emulator, "POST", "/clock", { advanceSeconds: 3601 });
    const expired = await failure(good.send(new GetCallerIdentityCommand({})));
    expect(expired.Code).toBe("ExpiredToken");
    expect(expired.$metadata.httpStatusCode).toBe(403);
    good.destroy();
  });
});

describe("default (lenient) auth", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  test("any signed request is accepted, whatever the secret", async () => {
    const iam = iamClient(emulator, { credentials: { accessKeyId: "anything", secretAccessKey: "whatever" } });
    expect((await iam.send(new ListUsersCommand({}))).$metadata.httpStatusCode).toBe(200);
    iam.destroy();
  });

  test("an unsigned request is MissingAuthenticationToken 403", async () => {
    const response = await fetch(emulator.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=ListUsers&Version=2010-05-08",
    });
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain("<Code>MissingAuthenticationToken</Code>");
    expect(text).toContain("<Message>Request is missing Authentication Token</Message>");
  });
});
