import { CreateAccessKeyCommand, CreateUserCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { expect, test } from "vitest";
import { failure, stsClient, useEmulator } from "./support.ts";

const env = useEmulator();
const ROLE = "arn:aws:iam::123456789012:role/deployer";

test("GetCallerIdentity of unknown (accepted) keys is the account root", async () => {
  const id = await env.sts.send(new GetCallerIdentityCommand({}));
  expect(id).toMatchObject({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:root", UserId: "123456789012" });
  expect(id.$metadata.httpStatusCode).toBe(200);
});

test("GetCallerIdentity with a user's access key is that user", async () => {
  await env.iam.send(new CreateUserCommand({ UserName: "alice", Path: "/ops/" }));
  const key = (await env.iam.send(new CreateAccessKeyCommand({ UserName: "alice" }))).AccessKey!;
  const sts = stsClient(env.emulator, { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
  const id = await sts.send(new GetCallerIdentityCommand({}));
  sts.destroy();
  expect(id.Arn).toBe("arn:aws:iam::123456789012:user/ops/alice");
  expect(id.UserId).toMatch(/^AIDA/);
});

test("AssumeRole returns temporary credentials that identify as the assumed role", async () => {
  const before = Date.now();
  const out = await env.sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "ci-run", DurationSeconds: 900 }));
  const creds = out.Credentials!;
  expect(creds.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
  expect(creds.SecretAccessKey).toHaveLength(40);
  expect(creds.SessionToken!.length).toBeGreaterThan(100);
  expect(Math.abs(creds.Expiration!.getTime() - (before + 900_000))).toBeLessThan(5_000);
  expect(out.AssumedRoleUser!.Arn).toBe("arn:aws:sts::123456789012:assumed-role/deployer/ci-run");
  expect(out.AssumedRoleUser!.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:ci-run$/);

  const sts = stsClient(env.emulator, {
    credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! },
  });
  const id = await sts.send(new GetCallerIdentityCommand({}));
  sts.destroy();
  expect(id.Arn).toBe(out.AssumedRoleUser!.Arn);
  expect(id.UserId).toBe(out.AssumedRoleUser!.AssumedRoleId);
  expect(id.Account).toBe("123456789012");
});

test("AssumeRole validates its input", async () => {
  const badArn = await failure(env.sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:user/alice", RoleSessionName: "s1" })));
  expect(badArn.Code).toBe("ValidationError");
  expect(badArn.$metadata.httpStatusCode).toBe(400);
  const duration = await failure(env.sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "s1", DurationSeconds: 60 })));
  expect(duration.message).toBe(
    "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
  );
  const session = await failure(env.sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "has space" })));
  expect(session.message).toContain("at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern");
});

const jwt = (claims: Record<string, unknown>) =>
  `${[{ alg: "RS256" }, claims].map((o) => Buffer.from(JSON.stringify(o)).toString("base64url")).join(".")}.c2ln`;

test("AssumeRoleWithWebIdentity: unsigned, answers with STS's fields, and its session is the assumed role", async () => {
  // No credentials at all: the SDK sends this call unsigned, as real STS takes it.
  const anonymous = new STSClient({ region: "us-east-1", endpoint: env.emulator.url, credentials: { accessKeyId: "", secretAccessKey: "" } });
  const out = await anonymous.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: ROLE,
      RoleSessionName: "gha",
      WebIdentityToken: jwt({ sub: "repo:o/r:ref:refs/heads/main", aud: ["sts.amazonaws.com"], iss: "https://token.actions.example.com" }),
      PolicyArns: [{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
    }),
  );
  anonymous.destroy();
  expect(out).toMatchObject({
    SubjectFromWebIdentityToken: "repo:o/r:ref:refs/heads/main",
    Audience: "sts.amazonaws.com",
    Provider: "token.actions.example.com",
  });
  expect(out.AssumedRoleUser!.Arn).toBe("arn:aws:sts::123456789012:assumed-role/deployer/gha");
  const c = out.Credentials!;
  const sts = stsClient(env.emulator, { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
  expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(out.AssumedRoleUser!.Arn);
  sts.destroy();
});

test("AssumeRoleWithWebIdentity refuses a token that is not a JWT, or has expired", async () => {
  const notJwt = await failure(env.sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE, RoleSessionName: "s1", WebIdentityToken: "opaque-token" })));
  expect(notJwt.Code ?? notJwt.name).toMatch(/InvalidIdentityToken/);
  expect(notJwt.$metadata.httpStatusCode).toBe(400);
  const token = jwt({ sub: "s", aud: "a", iss: "https://i", exp: 1 });
  const expired = await failure(env.sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE, RoleSessionName: "s1", WebIdentityToken: token })));
  expect(expired.Code ?? expired.name).toMatch(/ExpiredToken/);
});
