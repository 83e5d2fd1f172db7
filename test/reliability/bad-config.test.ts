/**
 * Issue 6: bad configurations, one table. Each fails at the earliest phase that can know
 * (validate, else plan, else apply), passes every earlier one, names the attribute, and leaves
 * the emulator with nothing created. The wording of each diagnostic is tested case by case in
 * test/resources/credential-validation.test.ts and test/provider/aws-provider.test.ts; this
 * table is about *when* and *what is left*, across the provider block and both resources.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { ROOT_ACCESS_KEY_ID, startEmulator } from "../../src/emulator/index.ts";
import { EmulatorControl, TerraformWorkingDir, type TerraformResult } from "../harness/index.ts";
import { CRED } from "./support.ts";

type Phase = "validate" | "plan" | "apply";

interface BadConfig {
  name: string;
  phase: Phase;
  /** HCL; USER is replaced by a user that exists (seeded) when `seedUser` is set. */
  hcl: string;
  /** The attribute the diagnostic must point at (its line is shown) or name. */
  attribute: RegExp;
  message: RegExp;
  env?: Record<string, string>;
  strictAuth?: boolean;
  seedUser?: boolean;
}

const user = `resource "aws_iam_user" "u" {\n  name = "table-user"\n}\n`;
const credential = (args = `service_name = "codecommit.amazonaws.com"`, userName = "aws_iam_user.u.name") =>
  `resource "${CRED}" "c" {\n  user_name = ${userName}\n  ${args}\n}\n`;
const everything = user + credential();
const providerBlock = (body: string) => `provider "aws" {\n  ${body}\n}\n${everything}`;
const unreachable = `endpoints {\n    iam = "http://127.0.0.1:1"\n    sts = "http://127.0.0.1:1"\n  }`;

const TABLE: BadConfig[] = [
  // The provider block.
  { name: "region that is not one", phase: "validate", hcl: providerBlock(`region = "moon-1"`), attribute: /region\s*=/, message: /Invalid AWS region/ },
  {
    name: "region from AWS_REGION that is not one",
    phase: "plan",
    hcl: everything,
    env: { AWS_REGION: "moon-1" },
    attribute: /region/,
    message: /Invalid AWS region/,
  },
  {
    name: "endpoint that is not a URL",
    phase: "validate",
    hcl: providerBlock(`endpoints {\n    iam = "not a url"\n  }`),
    attribute: /iam\s*=/,
    message: /Invalid endpoint URL/,
  },
  {
    name: "endpoint with another scheme",
    phase: "validate",
    hcl: providerBlock(`endpoints {\n    sts = "ftp://127.0.0.1"\n  }`),
    attribute: /sts\s*=/,
    message: /Invalid endpoint URL/,
  },
  {
    name: "unreachable endpoint",
    phase: "plan",
    hcl: providerBlock(unreachable),
    attribute: /endpoints/,
    message: /Cannot reach STS[\s\S]*127\.0\.0\.1:1[\s\S]*ECONNREFUSED/,
  },
  {
    name: "unreachable endpoint, credentials check skipped",
    phase: "apply",
    hcl: providerBlock(`skip_credentials_validation = true\n  ${unreachable}`),
    attribute: /IAM\s+at\s+http:\/\/127\.0\.0\.1:1/,
    message: /connection\s+to\s+IAM\s+at\s+http:\/\/127\.0\.0\.1:1\s+failed[\s\S]*ECONNREFUSED/,
  },
  {
    name: "credentials IAM refuses",
    phase: "plan",
    strictAuth: true,
    hcl: providerBlock(`access_key = "${ROOT_ACCESS_KEY_ID}"\n  secret_key = "wrong-secret-0123"`),
    attribute: /access_key\/secret_key/,
    message: /Invalid AWS credentials[\s\S]*SignatureDoesNotMatch/,
  },
  {
    name: "access_key without secret_key",
    phase: "validate",
    hcl: providerBlock(`access_key = "AKIAONLYHALF"`),
    attribute: /secret_key/,
    message: /Incomplete static credentials/,
  },
  {
    name: "max_retries below zero",
    phase: "validate",
    hcl: providerBlock(`max_retries = -1`),
    attribute: /max_retries\s*=/,
    message: /whole number from 0 to 100/,
  },
  {
    name: "assume_role with a bad ARN",
    phase: "validate",
    hcl: providerBlock(`assume_role {\n    role_arn = "not-an-arn"\n  }`),
    attribute: /role_arn\s*=/,
    message: /not an IAM role ARN/,
  },
  {
    name: "assume_role with a bad duration",
    phase: "validate",
    hcl: providerBlock(`assume_role {\n    role_arn = "arn:aws:iam::123456789012:role/r"\n    duration = "forever"\n  }`),
    attribute: /duration\s*=/,
    message: /Invalid duration/,
  },
  // aws_iam_service_specific_credential.
  {
    name: "status Expired",
    phase: "validate",
    hcl: user + credential(`service_name = "bedrock.amazonaws.com"\n  status = "Expired"`),
    attribute: /status\s*=/,
    message: /cannot be set/,
  },
  {
    name: "credential_age_days 0",
    phase: "validate",
    hcl: user + credential(`service_name = "bedrock.amazonaws.com"\n  credential_age_days = 0`),
    attribute: /credential_age_days\s*=/,
    message: /from 1 to 36600/,
  },
  {
    name: "credential_age_days on a password service",
    phase: "validate",
    hcl: user + credential(`service_name = "codecommit.amazonaws.com"\n  credential_age_days = 30`),
    attribute: /credential_age_days\s*=/,
    message: /does not apply/,
  },
  {
    name: "user_name that IAM cannot have",
    phase: "validate",
    hcl: user + credential(undefined, `"jane doe"`),
    attribute: /user_name\s*=/,
    message: /not a valid IAM user name/,
  },
  {
    name: "user_name known only at plan (a variable)",
    phase: "plan",
    hcl: `variable "who" {\n  default = "jane doe"\n}\n${user}${credential(undefined, "var.who")}`,
    attribute: /user_name\s*=/,
    message: /not a valid IAM user name/,
  },
  {
    name: "service IAM does not support",
    phase: "apply",
    seedUser: true,
    hcl: credential(`service_name = "s3.amazonaws.com"`, `"seeded"`),
    attribute: /service_name\s*=/,
    message: /Service not supported/,
  },
  { name: "user that does not exist", phase: "apply", hcl: credential(undefined, `"nobody-here"`), attribute: /user_name\s*=/, message: /IAM user not found/ },
  {
    name: "malformed import id (import block)",
    phase: "plan",
    seedUser: true,
    hcl: `import {\n  to = ${CRED}.c\n  id = "codecommit.amazonaws.com:seeded"\n}\n${credential(undefined, `"seeded"`)}`,
    attribute: /import id/,
    message: /SERVICE_NAME:USER_NAME:SERVICE_SPECIFIC_CREDENTIAL_ID/,
  },
  // aws_iam_user.
  {
    name: "user name with a space",
    phase: "validate",
    hcl: `resource "aws_iam_user" "u" {\n  name = "a b"\n}\n`,
    attribute: /name\s*=/,
    message: /not a valid IAM user name/,
  },
  {
    name: "user path without slashes",
    phase: "validate",
    hcl: `resource "aws_iam_user" "u" {\n  name = "ok"\n  path = "nopath"\n}\n`,
    attribute: /path\s*=/,
    message: /not an IAM path/,
  },
];

const emulators: Emulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

interface JsonDiagnostic {
  severity: string;
  summary: string;
  detail: string;
  snippet?: { code: string };
}

const text = (r: TerraformResult) => r.stdout + r.stderr;

describe.concurrent("bad configurations fail at the earliest phase that knows, and create nothing", () => {
  it.each(TABLE.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const emulator = await startEmulator({ profile: "aws", ...(c.strictAuth ? { strictAuth: true } : {}) });
    emulators.push(emulator);
    const control = new EmulatorControl(emulator.url);
    if (c.seedUser) await fetch(`${emulator.url}/__emulator/users`, { method: "POST", body: JSON.stringify({ name: "seeded" }) });
    const wd = await TerraformWorkingDir.create({
      env: {
        AWS_ENDPOINT_URL: emulator.url,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "AKIATABLETEST0000001",
        AWS_SECRET_ACCESS_KEY: "table-test-secret",
        AWS_EC2_METADATA_DISABLED: "true",
        TF_AWS_IAM_PROPAGATION_TIMEOUT: "2",
        ...c.env,
      },
      reattach: true,
    });
    try {
      await wd.writeConfig(c.hcl);
      let failedAt: Phase | undefined;
      let failure = "";

      const validate = await wd.run(["validate", "-json", "-no-color"]);
      if (validate.code !== 0) {
        failedAt = "validate";
        const diags = (JSON.parse(validate.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics.filter((d) => d.severity === "error");
        // The diagnostic points at the attribute's line in the configuration.
        failure = diags.map((d) => `${d.summary}: ${d.detail}\n${d.snippet?.code ?? ""}`).join("\n");
      }
      if (!failedAt) {
        const plan = await wd.run(["plan", "-no-color", "-input=false"]);
        if (plan.code !== 0) [failedAt, failure] = ["plan", text(plan)];
      }
      if (!failedAt) {
        const apply = await wd.run(["apply", "-auto-approve", "-no-color", "-input=false"]);
        if (apply.code !== 0) [failedAt, failure] = ["apply", text(apply)];
      }
      expect(failedAt, `${c.name}: the phase that failed`).toBe(c.phase);
      expect(failure).toMatch(c.message);
      expect(failure).toMatch(c.attribute);

      const state = await control.state();
      expect(state.credentials, "no credential created").toEqual([]);
      expect(
        state.users.map((u) => u.name),
        "no user created",
      ).toEqual(c.seedUser ? ["seeded"] : []);
    } finally {
      await wd.cleanup();
    }
  });
});
