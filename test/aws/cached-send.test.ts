// send() reuses a command's resolved middleware per client, command class and signal, and still
// behaves as client.send: the right answers, errors with their class, cancellation by signal.
import { CreateUserCommand, GetUserCommand, IAMClient, ListUsersCommand, NoSuchEntityException } from "@aws-sdk/client-iam";
import { afterEach, describe, expect, test, vi } from "vitest";
import { send } from "../../src/aws/cached-send.ts";
import { control, useEmulator } from "../emulator/support.ts";

const env = useEmulator();

afterEach(() => vi.restoreAllMocks());

describe("send", () => {
  test("resolves the middleware once per command class and signal, and answers every call", async () => {
    const client = new IAMClient({ endpoint: env.emulator.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const resolveGet = vi.spyOn(GetUserCommand.prototype, "resolveMiddleware");
    const resolveCreate = vi.spyOn(CreateUserCommand.prototype, "resolveMiddleware");
    const stop = new AbortController().signal;
    for (const name of ["ann", "bob", "cy"]) await send(client, new CreateUserCommand({ UserName: name }), stop);
    const users = await Promise.all(["ann", "bob", "cy"].map((name) => send(client, new GetUserCommand({ UserName: name }), stop)));
    expect(users.map((u) => u.User?.UserName)).toEqual(["ann", "bob", "cy"]);
    expect(resolveCreate).toHaveBeenCalledTimes(1);
    expect(resolveGet).toHaveBeenCalledTimes(1);
    // Another signal (or none) gets its own chain; the first one's is still reused.
    await send(client, new GetUserCommand({ UserName: "ann" }));
    await send(client, new GetUserCommand({ UserName: "ann" }), stop);
    expect(resolveGet).toHaveBeenCalledTimes(2);
    expect((await send(client, new ListUsersCommand({}), stop)).Users).toHaveLength(3);
    client.destroy();
  });

  test("errors keep their SDK class, and a reused chain serves the next call normally", async () => {
    const client = new IAMClient({
      endpoint: env.emulator.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    const err = await send(client, new GetUserCommand({ UserName: "nobody" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoSuchEntityException);
    await send(client, new CreateUserCommand({ UserName: "nobody" }));
    expect((await send(client, new GetUserCommand({ UserName: "nobody" }))).User?.UserName).toBe("nobody");
    client.destroy();
  });

  test("the signal still cancels a call in flight; a later call with a fresh signal is unaffected", async () => {
    const client = new IAMClient({
      endpoint: env.emulator.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    await send(client, new CreateUserCommand({ UserName: "slow" }));
    await control(env.emulator, "POST", "/faults", { action: "GetUser", delayMs: 2000, count: 1 });
    const controller = new AbortController();
    const started = performance.now();
    const pending = send(client, new GetUserCommand({ UserName: "slow" }), controller.signal).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 100);
    const err = (await pending) as Error;
    expect(err.name).toBe("AbortError");
    expect(performance.now() - started).toBeLessThan(1500);
    const fresh = new AbortController().signal;
    expect((await send(client, new GetUserCommand({ UserName: "slow" }), fresh)).User?.UserName).toBe("slow");
    client.destroy();
  });
});
