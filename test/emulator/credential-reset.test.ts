// ResetServiceSpecificCredential as the provider relies on it (issue 14): a password gets a new
// value and the old one stops being the stored one; an API key is refused; and every answer's
// Date header is the emulator's clock, which the SDK takes as IAM's time.
import {
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  ListServiceSpecificCredentialsCommand,
  ResetServiceSpecificCredentialCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, test } from "vitest";
import { control, failure, useEmulator } from "./support.ts";

const env = useEmulator();
const DAY_MS = 24 * 60 * 60 * 1000;

describe("ResetServiceSpecificCredential", () => {
  test("a password is replaced: the stored password is the new one, the id and status stay", async () => {
    await env.iam.send(new CreateUserCommand({ UserName: "alice" }));
    const created = (await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "alice", ServiceName: "cassandra.amazonaws.com" })))
      .ServiceSpecificCredential!;
    const reset = (
      await env.iam.send(new ResetServiceSpecificCredentialCommand({ UserName: "alice", ServiceSpecificCredentialId: created.ServiceSpecificCredentialId }))
    ).ServiceSpecificCredential!;
    expect(reset.ServiceSpecificCredentialId).toBe(created.ServiceSpecificCredentialId);
    expect(reset.Status).toBe("Active");
    expect(reset.ServicePassword === created.ServicePassword, "the password changed").toBe(false);
    const stored = (await control(env.emulator, "GET", "/state")).json.credentials[0].servicePassword;
    expect(stored === reset.ServicePassword, "the new password is the valid one").toBe(true);
  });

  for (const service of ["bedrock.amazonaws.com", "logs.amazonaws.com"]) {
    test(`an API key (${service}) is refused with ValidationError and keeps its secret`, async () => {
      await env.iam.send(new CreateUserCommand({ UserName: "bob" }));
      const created = (await env.iam.send(new CreateServiceSpecificCredentialCommand({ UserName: "bob", ServiceName: service }))).ServiceSpecificCredential!;
      const error = await failure(
        env.iam.send(new ResetServiceSpecificCredentialCommand({ UserName: "bob", ServiceSpecificCredentialId: created.ServiceSpecificCredentialId })),
      );
      expect(error.Code).toBe("ValidationError");
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toMatch(/only passwords can be reset/);
      const stored = (await control(env.emulator, "GET", "/state")).json.credentials[0].serviceCredentialSecret;
      expect(stored === created.ServiceCredentialSecret).toBe(true);
    });
  }
});

describe("Date header", () => {
  test("follows the emulator's clock, and the SDK's clock-skew offset follows it", async () => {
    await control(env.emulator, "POST", "/clock", { advanceDays: 40 });
    const res = await fetch(env.emulator.url, { method: "POST", body: "Action=ListUsers&Version=2010-05-08" });
    const date = Date.parse(res.headers.get("date") ?? "");
    expect(Math.abs(date - (Date.now() + 40 * DAY_MS))).toBeLessThan(5000);
    await env.iam.send(new CreateUserCommand({ UserName: "carol" }));
    await env.iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "carol" }));
    expect(Math.abs((env.iam.config.systemClockOffset ?? 0) - 40 * DAY_MS)).toBeLessThan(5000);
  });
});
