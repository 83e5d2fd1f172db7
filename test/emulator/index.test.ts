import { CreateUserCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { connect } from "node:net";
import { expect, test } from "vitest";
import { DEFAULT_ACCOUNT_ID, startEmulator } from "../../src/emulator/index.ts";
import { iamClient, stsClient } from "./support.ts";

test("starts on a free port of 127.0.0.1 and closes cleanly, twice if asked", async () => {
  const a = await startEmulator();
  const b = await startEmulator({ port: 0 });
  expect(a.port).toBeGreaterThan(0);
  expect(a.port).not.toBe(b.port);
  expect(a.url).toBe(`http://127.0.0.1:${a.port}`);
  await Promise.all([a.close(), b.close()]);
  await a.close();
  const refused = await new Promise<boolean>((resolve) => {
    const socket = connect(a.port, "127.0.0.1");
    socket.on("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.on("error", () => resolve(true));
  });
  expect(refused).toBe(true);
});

test("close does not wait for idle keep-alive connections", async () => {
  const emulator = await startEmulator();
  const iam = iamClient(emulator);
  await iam.send(new CreateUserCommand({ UserName: "alice" }));
  const started = Date.now();
  await emulator.close();
  expect(Date.now() - started).toBeLessThan(1000);
  iam.destroy();
});

test("the account id is configurable and defaults to 123456789012", async () => {
  expect(DEFAULT_ACCOUNT_ID).toBe("123456789012");
  const emulator = await startEmulator({ accountId: "000000000000" });
  const sts = stsClient(emulator);
  const iam = iamClient(emulator);
  expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe("000000000000");
  expect((await iam.send(new CreateUserCommand({ UserName: "u" }))).User!.Arn).toBe("arn:aws:iam::000000000000:user/u");
  expect(emulator.state().accountId).toBe("000000000000");
  sts.destroy();
  iam.destroy();
  await emulator.close();
});

test("bad options are refused", async () => {
  await expect(startEmulator({ accountId: "12345" })).rejects.toThrow(/12 digits/);
  await expect(startEmulator({ profile: "gcp" as "aws" })).rejects.toThrow(/unknown emulator profile/);
  await expect(startEmulator({ port: 70000 })).rejects.toThrow(/invalid port/);
  const first = await startEmulator();
  await expect(startEmulator({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
  await first.close();
});
