import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListServiceSpecificCredentialsCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  PutUserPermissionsBoundaryCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateUserCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, test } from "vitest";
import { failure, useEmulator } from "./support.ts";

const env = useEmulator();
const BOUNDARY = "arn:aws:iam::123456789012:policy/boundary";

describe("CreateUser and GetUser", () => {
  test("creates a user with path, tags and boundary and reads it back", async () => {
    const created = await env.iam.send(
      new CreateUserCommand({ UserName: "alice", Path: "/team/", PermissionsBoundary: BOUNDARY, Tags: [{ Key: "env", Value: "test" }] }),
    );
    const user = created.User!;
    expect(user.UserName).toBe("alice");
    expect(user.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
    expect(user.Arn).toBe("arn:aws:iam::123456789012:user/team/alice");
    expect(user.Path).toBe("/team/");
    expect(user.PermissionsBoundary).toEqual({ PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: BOUNDARY });
    expect(user.Tags).toEqual([{ Key: "env", Value: "test" }]);
    const got = (await env.iam.send(new GetUserCommand({ UserName: "alice" }))).User!;
    expect(got).toEqual(user);
  });

  test("user names are unique regardless of case", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
    const error = await failure(env.iam.send(new CreateUserCommand({ UserName: "Alice" })));
    expect(error.name).toBe("EntityAlreadyExistsException");
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(error.message).toBe("User with name Alice already exists.");
  });

  test("GetUser of an unknown user is NoSuchEntity 404", async () => {
    const error = await failure(env.iam.send(new GetUserCommand({ UserName: "ghost" })));
    expect(error.name).toBe("NoSuchEntityException");
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe("The user with name ghost cannot be found.");
  });

  test("GetUser without a name describes the root caller", async () => {
    const root = (await env.iam.send(new GetUserCommand({}))).User!;
    expect(root.Arn).toBe("arn:aws:iam::123456789012:root");
    expect(root.UserId).toBe("123456789012");
  });

  test("input is validated", async () => {
    const missing = await failure(env.iam.send(new CreateUserCommand({ UserName: undefined as unknown as string })));
    expect(missing.Code).toBe("ValidationError");
    expect(missing.$metadata.httpStatusCode).toBe(400);
    expect(missing.message).toBe("1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
    const two = await failure(env.iam.send(new CreateUserCommand({ UserName: "bad/name", Path: "no-slashes" })));
    expect(two.message).toMatch(/^2 validation errors detected: Value 'bad\/name' at 'userName' .*; Value 'no-slashes' at 'path' /);
    const dup = await failure(
      env.iam.send(
        new CreateUserCommand({
          UserName: "x",
          Tags: [
            { Key: "a", Value: "1" },
            { Key: "A", Value: "2" },
          ],
        }),
      ),
    );
    expect(dup.Code).toBe("InvalidInput");
    expect(dup.$metadata.httpStatusCode).toBe(400);
    const arn = await failure(env.iam.send(new CreateUserCommand({ UserName: "x", PermissionsBoundary: "arn:aws:s3:::bucket-name-here" })));
    expect(arn.Code).toBe("InvalidInput");
  });
});

describe("UpdateUser", () => {
  test("renaming moves credentials, access keys and tags; the old name is gone", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice", Tags: [{ Key: "k", Value: "v" }] }));
    const cred = (await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "alice", ServiceName: "codecommit.amazonaws.com" })))
      .ServiceSpecificCredential!;
    const key = (await env.iam.send(new CreateAccessKeyCommand({ UserName: "alice" }))).AccessKey!;
    const before = (await env.iam.send(new GetUserCommand({ UserName: "alice" }))).User!;

    await env.iam.send(new UpdateUserCommand({ UserName: "alice", NewUserName: "alicia", NewPath: "/moved/" }));

    const after = (await env.iam.send(new GetUserCommand({ UserName: "alicia" }))).User!;
    expect(after.UserId).toBe(before.UserId);
    expect(after.Arn).toBe("arn:aws:iam::123456789012:user/moved/alicia");
    expect(after.Tags).toEqual([{ Key: "k", Value: "v" }]);
    const creds = await env.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "alicia" }));
    expect(creds.ServiceSpecificCredentials!.map((c) => [c.ServiceSpecificCredentialId, c.UserName])).toEqual([[cred.ServiceSpecificCredentialId, "alicia"]]);
    const keys = await env.iam.send(new ListAccessKeysCommand({ UserName: "alicia" }));
    expect(keys.AccessKeyMetadata!.map((k) => k.AccessKeyId)).toEqual([key.AccessKeyId]);
    const old = await failure(env.iam.send(new GetUserCommand({ UserName: "alice" })));
    expect(old.$metadata.httpStatusCode).toBe(404);
    const oldCreds = await failure(env.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "alice" })));
    expect(oldCreds.$metadata.httpStatusCode).toBe(404);
  });

  test("renaming onto an existing user is EntityAlreadyExists; changing only the case is allowed", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
    await env.iam.send(new CreateUserCommand({ UserName: "bob" }));
    const error = await failure(env.iam.send(new UpdateUserCommand({ UserName: "alice", NewUserName: "BOB" })));
    expect(error.name).toBe("EntityAlreadyExistsException");
    expect(error.$metadata.httpStatusCode).toBe(409);
    await env.iam.send(new UpdateUserCommand({ UserName: "alice", NewUserName: "Alice" }));
    expect((await env.iam.send(new GetUserCommand({ UserName: "Alice" }))).User!.UserName).toBe("Alice");
  });
});

describe("DeleteUser", () => {
  test("refuses while the user has a login profile, access keys or credentials", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
    await env.iam.send(new CreateLoginProfileCommand({ UserName: "alice", Password: "Secret-123456" }));
    const keyId = (await env.iam.send(new CreateAccessKeyCommand({ UserName: "alice" }))).AccessKey!.AccessKeyId!;
    const credId = (await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "alice", ServiceName: "cassandra.amazonaws.com" })))
      .ServiceSpecificCredential!.ServiceSpecificCredentialId!;

    const steps: [string, () => Promise<unknown>][] = [
      ["Cannot delete entity, must delete login profile first.", () => env.iam.send(new DeleteLoginProfileCommand({ UserName: "alice" }))],
      ["Cannot delete entity, must delete access keys first.", () => env.iam.send(new DeleteAccessKeyCommand({ UserName: "alice", AccessKeyId: keyId }))],
      [
        "Cannot delete entity, must delete service specific credentials first.",
        () => env.iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: credId })),
      ],
    ];
    for (const [message, remove] of steps) {
      const error = await failure(env.iam.send(new DeleteUserCommand({ UserName: "alice" })));
      expect(error.name).toBe("DeleteConflictException");
      expect(error.$metadata.httpStatusCode).toBe(409);
      expect(error.message).toBe(message);
      await remove();
    }
    const out = await env.iam.send(new DeleteUserCommand({ UserName: "alice" }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect((await failure(env.iam.send(new GetUserCommand({ UserName: "alice" })))).$metadata.httpStatusCode).toBe(404);
  });

  test("a permissions boundary does not block deletion", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice", PermissionsBoundary: BOUNDARY }));
    await env.iam.send(new DeleteUserCommand({ UserName: "alice" }));
    const error = await failure(env.iam.send(new DeleteUserCommand({ UserName: "alice" })));
    expect(error.$metadata.httpStatusCode).toBe(404);
  });
});

describe("ListUsers", () => {
  test("pages in name order and filters by path prefix", async () => {
    for (const [name, path] of [
      ["carol", "/"],
      ["alice", "/a/"],
      ["bob", "/a/b/"],
    ]) {
      await env.iam.send(new CreateUserCommand({ UserName: name, Path: path }));
    }
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await env.iam.send(new ListUsersCommand({ MaxItems: 1, Marker: marker }));
      expect(page.Users).toHaveLength(1);
      expect(page.Users![0]).not.toHaveProperty("Tags");
      names.push(page.Users![0]!.UserName!);
      marker = page.IsTruncated ? page.Marker : undefined;
      pages++;
    } while (marker);
    expect(names).toEqual(["alice", "bob", "carol"]);
    expect(pages).toBe(3);
    const underA = await env.iam.send(new ListUsersCommand({ PathPrefix: "/a/" }));
    expect(underA.Users!.map((u) => u.UserName)).toEqual(["alice", "bob"]);
    expect(underA.IsTruncated).toBe(false);
  });
});

describe("tags and boundaries", () => {
  test("TagUser merges case-insensitively, UntagUser removes, ListUserTags pages", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice", Tags: [{ Key: "Env", Value: "dev" }] }));
    await env.iam.send(
      new TagUserCommand({
        UserName: "alice",
        Tags: [
          { Key: "env", Value: "prod" },
          { Key: "team", Value: "infra" },
          { Key: "x", Value: "" },
        ],
      }),
    );
    const all = await env.iam.send(new ListUserTagsCommand({ UserName: "alice" }));
    expect(all.Tags).toEqual([
      { Key: "env", Value: "prod" },
      { Key: "team", Value: "infra" },
      { Key: "x", Value: "" },
    ]);
    expect(all.IsTruncated).toBe(false);
    const page1 = await env.iam.send(new ListUserTagsCommand({ UserName: "alice", MaxItems: 2 }));
    expect(page1.Tags).toHaveLength(2);
    expect(page1.IsTruncated).toBe(true);
    const page2 = await env.iam.send(new ListUserTagsCommand({ UserName: "alice", MaxItems: 2, Marker: page1.Marker }));
    expect(page2.Tags).toEqual([{ Key: "x", Value: "" }]);
    await env.iam.send(new UntagUserCommand({ UserName: "alice", TagKeys: ["ENV", "x"] }));
    expect((await env.iam.send(new ListUserTagsCommand({ UserName: "alice" }))).Tags).toEqual([{ Key: "team", Value: "infra" }]);
    const ghost = await failure(env.iam.send(new TagUserCommand({ UserName: "ghost", Tags: [{ Key: "a", Value: "b" }] })));
    expect(ghost.$metadata.httpStatusCode).toBe(404);
  });

  test("more than 50 tags is LimitExceeded", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice", Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" })) }));
    const error = await failure(env.iam.send(new TagUserCommand({ UserName: "alice", Tags: [{ Key: "one-more", Value: "v" }] })));
    expect(error.name).toBe("LimitExceededException");
    expect(error.$metadata.httpStatusCode).toBe(409);
  });

  test("Put and Delete UserPermissionsBoundary", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
    await env.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: "alice", PermissionsBoundary: BOUNDARY }));
    expect((await env.iam.send(new GetUserCommand({ UserName: "alice" }))).User!.PermissionsBoundary!.PermissionsBoundaryArn).toBe(BOUNDARY);
    await env.iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: "alice" }));
    expect((await env.iam.send(new GetUserCommand({ UserName: "alice" }))).User!.PermissionsBoundary).toBeUndefined();
    const bad = await failure(env.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: "alice", PermissionsBoundary: "not-an-arn-but-long-enough" })));
    expect(bad.Code).toBe("InvalidInput");
    expect(bad.$metadata.httpStatusCode).toBe(400);
  });
});
