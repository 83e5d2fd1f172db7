import { CreateLoginProfileCommand, CreateUserCommand, DeleteLoginProfileCommand, GetLoginProfileCommand } from "@aws-sdk/client-iam";
import { expect, test } from "vitest";
import { control, failure, useEmulator } from "./support.ts";

const env = useEmulator();

test("create, get and delete a login profile", async () => {
  await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
  const created = (await env.iam.send(new CreateLoginProfileCommand({ UserName: "alice", Password: "Pa55word!xyz", PasswordResetRequired: true })))
    .LoginProfile!;
  expect(created).toMatchObject({ UserName: "alice", PasswordResetRequired: true });
  expect(created.CreateDate).toBeInstanceOf(Date);
  expect((await env.iam.send(new GetLoginProfileCommand({ UserName: "alice" }))).LoginProfile).toEqual(created);
  expect((await control(env.emulator, "GET", "/state")).json.users[0].hasLoginProfile).toBe(true);

  const duplicate = await failure(env.iam.send(new CreateLoginProfileCommand({ UserName: "alice", Password: "another-one" })));
  expect(duplicate.name).toBe("EntityAlreadyExistsException");
  expect(duplicate.$metadata.httpStatusCode).toBe(409);
  expect(duplicate.message).toBe("Login Profile for user alice already exists.");

  await env.iam.send(new DeleteLoginProfileCommand({ UserName: "alice" }));
  for (const command of [new GetLoginProfileCommand({ UserName: "alice" }), new DeleteLoginProfileCommand({ UserName: "alice" })]) {
    const error = await failure(env.iam.send(command as GetLoginProfileCommand));
    expect(error.name).toBe("NoSuchEntityException");
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe("Login Profile for User alice cannot be found.");
  }
});

test("a password is required and the user must exist", async () => {
  await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
  const noPassword = await failure(env.iam.send(new CreateLoginProfileCommand({ UserName: "alice" })));
  expect(noPassword.Code).toBe("ValidationError");
  expect(noPassword.message).toBe("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
  const ghost = await failure(env.iam.send(new CreateLoginProfileCommand({ UserName: "ghost", Password: "x" })));
  expect(ghost.$metadata.httpStatusCode).toBe(404);
});
