/**
 * The provider block with real Terraform, one case per mechanism: the endpoints block (and the
 * STS check per configure), static keys, profiles and shared files, assume_role, validation,
 * max_retries and a LocalStack-style block. Precedence rules and skip_* switches are tested in
 * process in provider-configure.test.ts. Each case starts from an environment with
 * no AWS variables, so only what the case sets can reach the provider.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET_ACCESS_KEY, startEmulator } from "../../src/emulator/index.ts";
import { EmulatorControl, TerraformWorkingDir, uniqueName } from "../harness/index.ts";
import { CASE_TIMEOUT_MS, cleanEnv as cleanEnvIn, inWorkdir as inWorkdirWith, output } from "./provider-block-support.ts";
import type { TerraformResult } from "../harness/index.ts";

let scratch: string;

/** Every AWS variable a developer's shell might carry, blanked (the SDK treats "" as unset). */
const cleanEnv = (extra: Record<string, string>) => cleanEnvIn(scratch, extra);

/** Runs `body` in a fresh working directory, then destroys what it applied and cleans up. */
const inWorkdir = (env: Record<string, string>, config: string, body: (w: TerraformWorkingDir) => Promise<void>) => inWorkdirWith(cleanEnv(env), config, body);

const userConfig = (name: string) => `resource "aws_iam_user" "test" {\n  name = "${name}"\n}\n`;

async function ok(w: TerraformWorkingDir, args: string[]): Promise<TerraformResult> {
  return w.ok([...args, "-no-color"]);
}

const users = (e: Emulator) => e.state().users.map((u) => u.name);
const calls = (e: Emulator, action: string) => e.state().calls[action] ?? 0;

interface JsonDiagnostic {
  severity: string;
  summary: string;
  detail: string;
  snippet?: { context: string | null; code: string };
}

/** Records which access key (and region) signed each Query action on its way to the emulator. */
interface RecordingProxy {
  url: string;
  seen: { action: string; accessKeyId: string; region: string }[];
  close(): Promise<void>;
}

async function recordingProxy(upstream: string): Promise<RecordingProxy> {
  const target = new URL(upstream);
  const seen: RecordingProxy["seen"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString("utf8")).get("Action") ?? "";
      // Credential=KEY/DATE/REGION/SERVICE/aws4_request
      const [accessKeyId = "", , region = ""] = /Credential=([^,\s]+)/.exec(req.headers.authorization ?? "")?.[1]?.split("/") ?? [];
      seen.push({ action, accessKeyId, region });
      // Headers pass unchanged (Host included), so the emulator's signature check still holds.
      const forward = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on("error", () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe("provider configuration", () => {
  let plain: Emulator;
  let strict: Emulator;
  let localstack: Emulator;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "tfacc-provider-"));
    [plain, strict, localstack] = await Promise.all([
      startEmulator({ profile: "aws" }),
      startEmulator({ profile: "aws", strictAuth: true }),
      startEmulator({ profile: "localstack" }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain, strict, localstack].map((e) => e?.close()));
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it(
    "endpoints { iam, sts } in the block: both services are called there, with no endpoint variables",
    async () => {
      const name = uniqueName("prov-endpoints");
      const config = `
provider "aws" {
  region     = "us-east-1"
  access_key = "test"
  secret_key = "test"
  endpoints {
    iam = "${plain.url}"
    sts = "${plain.url}"
  }
}
${userConfig(name)}`;
      let sts = calls(plain, "GetCallerIdentity");
      await inWorkdir({}, config, async (w) => {
        await ok(w, ["apply", "-auto-approve"]);
        expect(users(plain)).toContain(name);
        // One credentials check per provider process Terraform configures: plan and apply each start one.
        expect(calls(plain, "GetCallerIdentity") - sts).toBe(2);
        sts = calls(plain, "GetCallerIdentity");
        await ok(w, ["plan"]); // refresh and plan share one process
        expect(calls(plain, "GetCallerIdentity") - sts).toBe(1);
      });
      expect(users(plain)).not.toContain(name);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "static access_key/secret_key in the block are used (strict auth); a wrong secret fails at plan and creates nothing",
    async () => {
      const name = uniqueName("prov-static");
      const block = (secret: string) => `
provider "aws" {
  region     = "us-east-1"
  access_key = "${ROOT_ACCESS_KEY_ID}"
  secret_key = "${secret}"
}
${userConfig(name)}`;
      // The environment's keys are ones strict auth refuses: only the block's can work.
      const env = { AWS_ENDPOINT_URL: strict.url, AWS_ACCESS_KEY_ID: "AKIAWRONGWRONGWRONG1", AWS_SECRET_ACCESS_KEY: "wrong" };
      await inWorkdir(env, block(ROOT_SECRET_ACCESS_KEY), async (w) => {
        await ok(w, ["apply", "-auto-approve"]);
        expect(users(strict)).toContain(name);
      });

      const wrong = uniqueName("prov-wrong");
      await inWorkdir(env, block("not-the-secret-0123").replace(name, wrong), async (w) => {
        const applied = await w.run(["apply", "-auto-approve", "-no-color"]);
        expect(applied.code).toBe(1);
        expect(output(applied)).toMatch(/Error: Invalid AWS credentials/);
        expect(output(applied)).toMatch(/did not accept the configured credentials \(SignatureDoesNotMatch\)/);
        expect(output(applied)).not.toMatch(/will be created|Creating\.\.\./);
        expect(output(applied)).not.toContain("not-the-secret-0123");
        expect(users(strict)).not.toContain(wrong);
      });
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "profile with shared_credentials_files and shared_config_files (strict auth), region from the profile",
    async () => {
      const name = uniqueName("prov-profile");
      const credentials = join(scratch, `credentials-${name}`);
      const configFile = join(scratch, `config-${name}`);
      await writeFile(
        credentials,
        `[default]\naws_access_key_id = AKIAWRONGWRONGWRONG1\naws_secret_access_key = wrong\n\n[deployer]\naws_access_key_id = ${ROOT_ACCESS_KEY_ID}\naws_secret_access_key = ${ROOT_SECRET_ACCESS_KEY}\n`,
      );
      await writeFile(configFile, `[default]\nregion = us-west-2\n\n[profile deployer]\nregion = eu-west-1\n`);
      const config = `
provider "aws" {
  profile                  = "deployer"
  shared_credentials_files = ["${credentials}"]
  shared_config_files      = ["${configFile}"]
}
${userConfig(name)}`;
      // Keys in the environment would win over a profile from the environment, not over one in the block.
      const env = { AWS_ENDPOINT_URL: strict.url, AWS_ACCESS_KEY_ID: "AKIAWRONGWRONGWRONG1", AWS_SECRET_ACCESS_KEY: "wrong" };
      const proxy = await recordingProxy(strict.url);
      try {
        await inWorkdir({ ...env, AWS_ENDPOINT_URL: proxy.url }, config, async (w) => {
          await ok(w, ["apply", "-auto-approve"]);
          expect(users(strict)).toContain(name);
        });
        expect(new Set(proxy.seen.map((c) => `${c.accessKeyId} ${c.region}`))).toEqual(new Set([`${ROOT_ACCESS_KEY_ID} eu-west-1`]));
      } finally {
        await proxy.close();
      }

      const missing = uniqueName("prov-noprofile");
      await inWorkdir(env, config.replace('"deployer"', '"nobody"\n  region = "us-east-1"').replace(name, missing), async (w) => {
        const planned = await w.run(["plan", "-no-color"]);
        expect(planned.code).toBe(1);
        expect(output(planned)).toMatch(/Invalid AWS credentials[\s\S]*No AWS credentials were found[\s\S]*profile\s+"nobody"/);
        expect(users(strict)).not.toContain(missing);
      });
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "assume_role: STS AssumeRole with the base keys, then every IAM call signed with the session",
    async () => {
      const name = uniqueName("prov-assume");
      const proxy = await recordingProxy(strict.url);
      try {
        const config = `
provider "aws" {
  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/test"
    session_name = "terraform-acc"
  }
}
${userConfig(name)}`;
        const env = {
          AWS_ENDPOINT_URL: proxy.url,
          AWS_REGION: "us-east-1",
          AWS_ACCESS_KEY_ID: ROOT_ACCESS_KEY_ID,
          AWS_SECRET_ACCESS_KEY: ROOT_SECRET_ACCESS_KEY,
        };
        await inWorkdir(env, config, async (w) => {
          await ok(w, ["apply", "-auto-approve"]);
          expect(users(strict)).toContain(name);
        });
        const assume = proxy.seen.filter((c) => c.action === "AssumeRole");
        const others = proxy.seen.filter((c) => c.action !== "AssumeRole");
        expect(assume.length).toBeGreaterThan(0);
        expect(new Set(assume.map((c) => c.accessKeyId))).toEqual(new Set([ROOT_ACCESS_KEY_ID]));
        expect(others.map((c) => c.action)).toEqual(expect.arrayContaining(["GetCallerIdentity", "CreateUser", "GetUser", "DeleteUser"]));
        for (const c of others) expect(c.accessKeyId, `${c.action} signed with`).toMatch(/^ASIA/);
      } finally {
        await proxy.close();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "validate points at the argument: a region that is not one, an endpoint that is not a URL, a role_arn that is not an ARN",
    async () => {
      const config = `
provider "aws" {
  region = "mars-1"
}
provider "aws" {
  alias  = "endpoint"
  region = "us-east-1"
  endpoints {
    iam = "not a url"
  }
}
provider "aws" {
  alias  = "role"
  region = "us-east-1"
  assume_role {
    role_arn = "not-an-arn"
  }
}
# Terraform validates the provider configurations that resources use.
resource "aws_iam_user" "region" {
  name = "a"
}
resource "aws_iam_user" "endpoint" {
  provider = aws.endpoint
  name     = "b"
}
resource "aws_iam_user" "role" {
  provider = aws.role
  name     = "c"
}
`;
      const w = await TerraformWorkingDir.create({ env: cleanEnv({}) });
      try {
        await w.writeConfig(config);
        const validated = await w.run(["validate", "-json", "-no-color"]);
        expect(validated.code).toBe(1);
        const errors = (JSON.parse(validated.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics.filter((d) => d.severity === "error");
        const at = (code: RegExp) => errors.filter((d) => code.test(d.snippet?.code ?? ""));
        expect(at(/region\s*=\s*"mars-1"/).map((d) => `${d.summary}: ${d.detail}`)).toEqual([
          expect.stringMatching(/Invalid AWS region: "mars-1" is not an AWS region name[\s\S]*skip_region_validation/),
        ]);
        expect(at(/iam\s*=\s*"not a url"/).map((d) => `${d.summary}: ${d.detail}`)).toEqual([
          expect.stringMatching(/Invalid endpoint URL: "not a url" is not an http:\/\/ or https:\/\/ URL/),
        ]);
        expect(at(/role_arn\s*=\s*"not-an-arn"/).map((d) => `${d.summary}: ${d.detail}`)).toEqual([
          expect.stringMatching(/"not-an-arn" is not an IAM role ARN/),
        ]);
        expect(errors).toHaveLength(3);
      } finally {
        await w.cleanup();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "max_retries = 0 turns one Throttling answer into a clear error; max_retries = 2 rides it out",
    async () => {
      const name = uniqueName("prov-throttle");
      const control = new EmulatorControl(plain.url);
      const block = (retries: number) => `
provider "aws" {
  max_retries = ${retries}
}
${userConfig(name)}`;
      const env = { AWS_ENDPOINT_URL: plain.url, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
      await inWorkdir(env, block(0), async (w) => {
        try {
          await control.addFault({ action: "CreateUser", code: "Throttling", status: 400, message: "Rate exceeded", count: 1 });
          let creates = calls(plain, "CreateUser");
          const failed = await w.run(["apply", "-auto-approve", "-no-color"]);
          expect(failed.code).toBe(1);
          expect(output(failed)).toMatch(/throttl/i);
          expect(output(failed)).toMatch(/max_retries\s*=\s*0/);
          expect(calls(plain, "CreateUser") - creates).toBe(1);
          expect(users(plain)).not.toContain(name);

          await control.addFault({ action: "CreateUser", code: "Throttling", status: 400, message: "Rate exceeded", count: 1 });
          await w.writeConfig(block(2));
          creates = calls(plain, "CreateUser");
          await ok(w, ["apply", "-auto-approve"]);
          expect(calls(plain, "CreateUser") - creates).toBe(2);
          expect(users(plain)).toContain(name);
        } finally {
          await control.clearFaults();
        }
      });
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "a LocalStack-style provider block, as LocalStack's documentation gives it, works (no STS call)",
    async () => {
      const name = uniqueName("prov-ls");
      const ls = localstack.url;
      // LocalStack's Terraform guide, with its http://localhost:4566 replaced by this emulator.
      const config = `
provider "aws" {
  access_key                  = "test"
  secret_key                  = "test"
  region                      = "us-east-1"
  s3_use_path_style           = false
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    apigateway     = "${ls}"
    apigatewayv2   = "${ls}"
    cloudformation = "${ls}"
    cloudwatch     = "${ls}"
    dynamodb       = "${ls}"
    ec2            = "${ls}"
    es             = "${ls}"
    elasticache    = "${ls}"
    firehose       = "${ls}"
    iam            = "${ls}"
    kinesis        = "${ls}"
    lambda         = "${ls}"
    rds            = "${ls}"
    redshift       = "${ls}"
    route53        = "${ls}"
    s3             = "http://s3.localhost.localstack.cloud:4566"
    secretsmanager = "${ls}"
    ses            = "${ls}"
    sns            = "${ls}"
    sqs            = "${ls}"
    ssm            = "${ls}"
    stepfunctions  = "${ls}"
    sts            = "${ls}"
  }
}
${userConfig(name)}
resource "aws_iam_service_specific_credential" "test" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.test.name
}
`;
      await inWorkdir({}, config, async (w) => {
        await ok(w, ["apply", "-auto-approve"]);
        const state = localstack.state();
        expect(state.users.map((u) => u.name)).toContain(name);
        expect(state.credentials.filter((c) => c.userName === name)).toHaveLength(1);
        expect(state.calls.GetCallerIdentity ?? 0).toBe(0);
        const plan = await w.run(["plan", "-detailed-exitcode", "-no-color"]);
        expect(plan.code, output(plan)).toBe(0);
      });
    },
    CASE_TIMEOUT_MS,
  );
});
