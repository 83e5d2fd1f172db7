import { CreateAccessKeyCommand, CreateUserCommand, DeleteAccessKeyCommand, ListAccessKeysCommand, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { expect, test } from "vitest";
import { failure, iamClient, useEmulator } from "./support.ts";

const env = useEmulator();

test("create, list, update and delete access keys", async () => {
  await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
  const key = (await env.iam.send(new CreateAccessKeyCommand({ UserName: "alice" }))).AccessKey!;
  expect(key.AccessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
  expect(key.SecretAccessKey).toHaveLength(40);
  expect(key.Status).toBe("Active");
  expect(key.UserName).toBe("alice");
  await env.iam.send(new UpdateAccessKeyCommand({ UserName: "alice", AccessKeyId: key.AccessKeyId, Status: "Inactive" }));
  const listed = await env.iam.send(new ListAccessKeysCommand({ UserName: "alice" }));
  expect(listed.AccessKeyMetadata).toEqual([{ UserName: "alice", AccessKeyId: key.AccessKeyId, Status: "Inactive", CreateDate: key.CreateDate }]);
  expect(listed.IsTruncated).toBe(false);
  await env.iam.send(new DeleteAccessKeyCommand({ UserName: "alice", AccessKeyId: key.AccessKeyId }));
  expect((await env.iam.send(new ListAccessKeysCommand({ UserName: "alice" }))).AccessKeyMetadata).toEqual([]);
  const again = await failure(env.iam.send(new DeleteAccessKeyCommand({ UserName: "alice", AccessKeyId: key.AccessKeyId })));
  expect(again.name).toBe("NoSuchEntityException");
  expect(again.$metadata.httpStatusCode).toBe(404);
  expect(again.message).toBe(`The Access Key with id ${key.AccessKeyId} cannot be found.`);
});

test("a user has at most two access keys", async () => {
  await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
  await env.iam.send(new CreateAccessKeyCommand({ UserName: "alice" }));
  await env.iam.send(new CreateAccessKeyCommand({ UserName: "alice" }));
  const error = await failure(env.iam.send(new CreateAccessKeyCommand({ UserName: "alice" })));
  expect(error.name).toBe("LimitExceededException");
  expect(error.$metadata.httpStatusCode).toBe(409);
  expect(error.message).toBe("Cannot exceed quota for AccessKeysPerUser: 2");
});

test("without UserName the operations act on the signing user", async () => {
  await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
  const key = (await env.iam.send(new CreateAccessKeyCommand({ UserName: "alice" }))).AccessKey!;
  const asAlice = iamClient(env.emulator, { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
  const listed = await asAlice.send(new ListAccessKeysCommand({}));
  expect(listed.AccessKeyMetadata!.map((k) => k.UserName)).toEqual(["alice"]);
  asAlice.destroy();
  const asRoot = await failure(env.iam.send(new ListAccessKeysCommand({})));
  expect(asRoot.Code).toBe("ValidationError");
  expect(asRoot.message).toBe("Must specify userName when calling with non-User credentials");
});

test("unknown users and bad ids are rejected", async () => {
  const ghost = await failure(env.iam.send(new CreateAccessKeyCommand({ UserName: "ghost" })));
  expect(ghost.$metadata.httpStatusCode).toBe(404);
  expect(ghost.message).toBe("The user with name ghost cannot be found.");
  await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
  const bad = await failure(env.iam.send(new DeleteAccessKeyCommand({ UserName: "alice", AccessKeyId: "short" })));
  expect(bad.Code).toBe("ValidationError");
  expect(bad.$metadata.httpStatusCode).toBe(400);
});
