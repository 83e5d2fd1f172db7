/**
 * Provider blocks written for the official AWS provider, with real Terraform against the
 * emulator: every argument is accepted, bad values are refused at validate time at the
 * argument, and each argument that changes how IAM or STS is called has its effect: proxies
 * carry the calls, a CA bundle is trusted, sts_region signs STS, FIPS and dual-stack pick other
 * hosts, web identity and IMDS supply credentials, ignore_tags hides tags, adaptive retries
 * pace calls.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IAMClient, TagUserCommand } from "@aws-sdk/client-iam";
import type { Emulator } from "../../src/emulator/index.ts";
import { ROOT_ACCESS_KEY_ID, ROOT_SECRET_ACCESS_KEY, startEmulator } from "../../src/emulator/index.ts";
import { createSelfSignedCertificate } from "../../src/transport/self-signed-certificate.ts";
import { EmulatorControl, TerraformWorkingDir, uniqueName } from "../harness/index.ts";
import { CASE_TIMEOUT_MS, cleanEnv, inWorkdir, output, startProxy } from "./provider-block-support.ts";

let scratch: string;
const env = (extra: Record<string, string> = {}) => cleanEnv(scratch, extra);
const keys = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1" };
const userConfig = (name: string, extra = "") => `resource "aws_iam_user" "test" {\n  name = "${name}"\n${extra}}\n`;
const users = (e: Emulator) => e.state().users.map((u) => u.name);
const port = (e: Emulator) => Number(new URL(e.url).port);

/** A JWT with the claims STS reads (unsigned: the emulator does not check signatures). */
function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJl`;
}

interface JsonDiagnostic {
  severity: string;
  summary: string;
  detail: string;
  snippet?: { code: string };
}

describe("a provider block written for the official AWS provider", () => {
  let plain: Emulator;
  let strict: Emulator;
  let tls: Emulator;
  let caFile: string;
  // Names the TLS emulator answers to: the FIPS and dual-stack hosts the SDK resolves in us-east-1.
  const tlsHosts = ["localhost", "127.0.0.1", "iam-fips.amazonaws.com", "sts-fips.us-east-1.amazonaws.com", "iam.global.api.aws", "sts.us-east-1.api.aws"];

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "tfacc-dropin-"));
    const cert = createSelfSignedCertificate({ hosts: tlsHosts });
    caFile = join(scratch, "test-ca.pem");
    await writeFile(caFile, cert.certPem);
    [plain, strict, tls] = await Promise.all([
      startEmulator({ profile: "aws" }),
      startEmulator({ profile: "aws", strictAuth: true }),
      startEmulator({ profile: "aws", tls: { certPem: cert.certPem, keyPem: cert.keyPem } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain, strict, tls].map((e) => e?.close()));
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it(
    "accepts every argument and block of the official provider's configuration, and the plan after apply is empty",
    async () => {
      const name = uniqueName("dropin-all");
      const config = `
provider "aws" {
  region                             = "us-east-1"
  access_key                         = "test"
  secret_key                         = "test"
  token                              = null
  profile                            = null
  shared_config_files                = ["${join(scratch, "none")}"]
  shared_credentials_files           = ["${join(scratch, "none")}"]
  max_retries                        = 3
  retry_mode                         = "standard"
  token_bucket_rate_limiter_capacity = 0
  sts_region                         = "us-east-1"
  http_proxy                         = ""
  https_proxy                        = ""
  no_proxy                           = "localhost,127.0.0.1"
  custom_ca_bundle                   = "${caFile}"
  insecure                           = false
  use_fips_endpoint                  = false
  use_dualstack_endpoint             = false
  ec2_metadata_service_endpoint      = "http://169.254.169.254"
  ec2_metadata_service_endpoint_mode = "IPv4"
  skip_credentials_validation        = false
  skip_metadata_api_check            = true
  skip_region_validation             = false
  skip_requesting_account_id         = true
  s3_use_path_style                  = true
  s3_us_east_1_regional_endpoint     = "regional"
  tag_policy_compliance              = "disabled"
  user_agent                         = ["drop-in-test/1.0"]
  allowed_account_ids                = ["123456789012"]

  endpoints {
    iam = "${plain.url}"
    sts = "${plain.url}"
    s3  = "http://s3.localhost.localstack.cloud:4566"
  }
  default_tags {
    tags = { team = "platform" }
  }
  ignore_tags {
    keys         = ["owner"]
    key_prefixes = ["kubernetes.io/"]
  }
}
${userConfig(name)}`;
      await inWorkdir(env(), config, async (w) => {
        const validated = await w.run(["validate", "-no-color"]);
        expect(validated.code, output(validated)).toBe(0);
        await w.ok(["apply", "-auto-approve", "-no-color"]);
        expect(plain.state().users.find((u) => u.name === name)?.tags).toEqual({ team: "platform" });
        const plan = await w.run(["plan", "-detailed-exitcode", "-no-color"]);
        expect(plan.code, output(plan)).toBe(0);
      });
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "refuses bad values at validate time, each at its argument",
    async () => {
      const config = `
provider "aws" {
  region                             = "us-east-1"
  retry_mode                         = "fast"
  ec2_metadata_service_endpoint_mode = "ipv4"
  http_proxy                         = "not a proxy"
  https_proxy                        = "http://user:hunter2@"
  tag_policy_compliance              = "strict"
  s3_us_east_1_regional_endpoint     = "global"
  sts_region                         = "moon-1"
  assume_role_with_web_identity {
    role_arn                = "arn:aws:iam::123456789012:role/ci"
    web_identity_token      = "token-text"
    web_identity_token_file = "/tmp/token"
    duration                = "5m"
  }
}
resource "aws_iam_user" "test" {
  name = "a"
}
`;
      const w = await TerraformWorkingDir.create({ env: env() });
      try {
        await w.writeConfig(config);
        const validated = await w.run(["validate", "-json", "-no-color"]);
        expect(validated.code).toBe(1);
        const errors = (JSON.parse(validated.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics.filter((d) => d.severity === "error");
        const at = (code: RegExp) => errors.filter((d) => code.test(d.snippet?.code ?? "")).map((d) => `${d.summary}: ${d.detail}`);
        expect(at(/retry_mode/)).toEqual([expect.stringMatching(/"fast" is not allowed here; expected one of "standard", "adaptive"/)]);
        expect(at(/ec2_metadata_service_endpoint_mode/)).toEqual([expect.stringMatching(/"ipv4" is not allowed here; expected one of "IPv4", "IPv6"/)]);
        expect(at(/http_proxy/)).toEqual([expect.stringMatching(/Invalid proxy URL: "not a proxy" is not a proxy URL/)]);
        expect(at(/https_proxy/)).toEqual([expect.stringMatching(/Invalid proxy URL/)]);
        expect(at(/tag_policy_compliance/)).toEqual([expect.stringMatching(/"strict" is not allowed here; expected one of "error", "warning", "disabled"/)]);
        expect(at(/s3_us_east_1_regional_endpoint/)).toEqual([expect.stringMatching(/"global" is not allowed here/)]);
        expect(at(/sts_region/)).toEqual([expect.stringMatching(/Invalid AWS region: "moon-1"/)]);
        expect(at(/duration/)).toEqual([expect.stringMatching(/Invalid duration: "5m" is outside what STS allows/)]);
        expect(at(/web_identity_token_file/)).toEqual([expect.stringMatching(/Conflicting web identity token/)]);
        expect(errors).toHaveLength(9);
        // Our messages never repeat the proxy password or the token (Terraform's snippets quote the line).
        const messages = errors.map((d) => `${d.summary} ${d.detail}`).join("\n");
        expect(messages).not.toContain("hunter2");
        expect(messages).not.toContain("token-text");
      } finally {
        await w.cleanup();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "http_proxy carries every IAM and STS call (to endpoints only the proxy can reach); no_proxy sends a host direct",
    async () => {
      const proxy = await startProxy((host) => (host.endsWith(".emulator.test") ? { host: "127.0.0.1", port: port(plain) } : undefined));
      try {
        const name = uniqueName("dropin-proxy");
        const block = (noProxy: string) => `
provider "aws" {
  http_proxy  = "http://proxyuser:proxypass@${new URL(proxy.url).host}"
  https_proxy = ""
  no_proxy    = "${noProxy}"
  max_retries = 0
  endpoints {
    iam = "http://iam.emulator.test:${port(plain)}"
    sts = "http://sts.emulator.test:${port(plain)}"
  }
}
${userConfig(name)}`;
        await inWorkdir(env(keys), block("localhost"), async (w) => {
          await w.ok(["apply", "-auto-approve", "-no-color"]);
          expect(users(plain)).toContain(name);
          const actions = proxy.hits.map((h) => h.action);
          expect(actions).toEqual(expect.arrayContaining(["GetCallerIdentity", "CreateUser"]));
          expect(new Set(proxy.hits.map((h) => h.target))).toEqual(new Set([`iam.emulator.test:${port(plain)}`, `sts.emulator.test:${port(plain)}`]));
          expect(new Set(proxy.hits.map((h) => h.proxyAuthorization))).toEqual(new Set([`Basic ${Buffer.from("proxyuser:proxypass").toString("base64")}`]));

          // no_proxy: STS is asked directly, where its name does not resolve; the proxy sees nothing of it.
          proxy.hits.length = 0;
          await w.writeConfig(block(".emulator.test"));
          const planned = await w.run(["plan", "-no-color"]);
          expect(planned.code).toBe(1);
          expect(output(planned)).toMatch(/ENOTFOUND|EAI_AGAIN/);
          expect(output(planned)).not.toContain("proxypass");
          expect(proxy.hits).toEqual([]);
          await w.writeConfig(block("localhost"));
        });
        expect(users(plain)).not.toContain(name);
      } finally {
        await proxy.close();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "https_proxy tunnels to the FIPS endpoints (use_fips_endpoint), trusted through custom_ca_bundle; use_dualstack_endpoint picks the dual-stack hosts",
    async () => {
      const proxy = await startProxy((host) => (tlsHosts.includes(host) ? { host: "127.0.0.1", port: port(tls) } : undefined));
      try {
        const name = uniqueName("dropin-fips");
        const block = (variant: string, bundle: boolean) => `
provider "aws" {
  region      = "us-east-1"
  https_proxy = "${proxy.url}"
  max_retries = 0
  ${variant} = true
  ${bundle ? `custom_ca_bundle = "${caFile}"` : ""}
}
${userConfig(name)}`;
        await inWorkdir(env({ AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" }), block("use_fips_endpoint", false), async (w) => {
          // Without the bundle the emulator's certificate is not trusted, and nothing is created.
          const refused = await w.run(["plan", "-no-color"]);
          expect(refused.code).toBe(1);
          expect(output(refused)).toMatch(/self.signed certificate|unable to verify|certificate/i);
          expect(new Set(proxy.hits.map((h) => `${h.method} ${h.target}`))).toEqual(new Set(["CONNECT sts-fips.us-east-1.amazonaws.com:443"]));

          proxy.hits.length = 0;
          await w.writeConfig(block("use_fips_endpoint", true));
          await w.ok(["apply", "-auto-approve", "-no-color"]);
          expect(users(tls)).toContain(name);
          expect(new Set(proxy.hits.map((h) => `${h.method} ${h.target}`))).toEqual(
            new Set(["CONNECT sts-fips.us-east-1.amazonaws.com:443", "CONNECT iam-fips.amazonaws.com:443"]),
          );

          proxy.hits.length = 0;
          await w.writeConfig(block("use_dualstack_endpoint", true));
          const plan = await w.run(["plan", "-detailed-exitcode", "-no-color"]);
          expect(plan.code, output(plan)).toBe(0);
          expect(new Set(proxy.hits.map((h) => `${h.method} ${h.target}`))).toEqual(
            new Set(["CONNECT sts.us-east-1.api.aws:443", "CONNECT iam.global.api.aws:443"]),
          );
        });
      } finally {
        await proxy.close();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "custom_ca_bundle (or AWS_CA_BUNDLE) makes an HTTPS endpoint with a private CA trusted; insecure = true skips the check",
    async () => {
      const name = uniqueName("dropin-ca");
      const block = (extra: string) => `
provider "aws" {
  max_retries = 0
  ${extra}
  endpoints {
    iam = "${tls.url}"
    sts = "${tls.url}"
  }
}
${userConfig(name)}`;
      await inWorkdir(env(keys), block(""), async (w) => {
        const refused = await w.run(["plan", "-no-color"]);
        expect(refused.code).toBe(1);
        expect(output(refused)).toMatch(/self.signed certificate|unable to verify|certificate/i);

        await w.writeConfig(block(`custom_ca_bundle = "${caFile}"`));
        await w.ok(["apply", "-auto-approve", "-no-color"]);
        expect(users(tls)).toContain(name);

        await w.writeConfig(block(""));
        const fromEnv = await w.run(["plan", "-detailed-exitcode", "-no-color"], { AWS_CA_BUNDLE: caFile });
        expect(fromEnv.code, output(fromEnv)).toBe(0);
        await w.writeConfig(block("insecure = true"));
        const insecure = await w.run(["plan", "-detailed-exitcode", "-no-color"]);
        expect(insecure.code, output(insecure)).toBe(0);
      });
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "sts_region: STS calls are signed for it, IAM calls for region; user_agent reaches both",
    async () => {
      const proxy = await startProxy(() => ({ host: "127.0.0.1", port: port(strict) }));
      try {
        const name = uniqueName("dropin-stsregion");
        const config = `
provider "aws" {
  region     = "eu-west-1"
  sts_region = "ap-southeast-2"
  access_key = "${ROOT_ACCESS_KEY_ID}"
  secret_key = "${ROOT_SECRET_ACCESS_KEY}"
  http_proxy = "${proxy.url}"
  user_agent = ["drop-in-test/1.0 (acceptance)"]
  endpoints {
    iam = "http://iam.emulator.test:${port(strict)}"
    sts = "http://sts.emulator.test:${port(strict)}"
  }
}
${userConfig(name)}`;
        await inWorkdir(env(), config, async (w) => {
          await w.ok(["apply", "-auto-approve", "-no-color"]);
          expect(users(strict)).toContain(name);
        });
        const sts = proxy.hits.filter((h) => h.target.startsWith("sts."));
        const iam = proxy.hits.filter((h) => h.target.startsWith("iam."));
        expect(sts.map((h) => h.action)).toContain("GetCallerIdentity");
        expect(new Set(sts.map((h) => h.signingRegion))).toEqual(new Set(["ap-southeast-2"]));
        expect(new Set(iam.map((h) => h.signingRegion))).toEqual(new Set(["eu-west-1"]));
        // The SDK keeps the product and version and escapes the rest.
        for (const h of proxy.hits) expect(h.userAgent).toContain("drop-in-test/1.0");
      } finally {
        await proxy.close();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "assume_role_with_web_identity: STS AssumeRoleWithWebIdentity (unsigned) with the token file, then every call as the assumed role",
    async () => {
      const proxy = await startProxy(() => ({ host: "127.0.0.1", port: port(strict) }));
      try {
        const name = uniqueName("dropin-oidc");
        const tokenFile = join(scratch, `${name}.jwt`);
        await writeFile(tokenFile, jwt({ sub: "repo:example/infra:ref:refs/heads/main", aud: "sts.amazonaws.com", iss: "https://token.actions.example.com" }));
        const config = `
provider "aws" {
  region = "us-east-1"
  assume_role_with_web_identity {
    role_arn                = "arn:aws:iam::123456789012:role/ci"
    session_name            = "ci-run"
    web_identity_token_file = "${tokenFile}"
    duration                = "1h"
    policy_arns             = ["arn:aws:iam::aws:policy/IAMFullAccess"]
  }
  http_proxy = "${proxy.url}"
  endpoints {
    iam = "http://iam.emulator.test:${port(strict)}"
    sts = "http://sts.emulator.test:${port(strict)}"
  }
}
${userConfig(name)}`;
        // No keys anywhere: the web identity is the only credential.
        await inWorkdir(env({ AWS_EC2_METADATA_DISABLED: "true" }), config, async (w) => {
          await w.ok(["apply", "-auto-approve", "-no-color"]);
          expect(users(strict)).toContain(name);
        });
        const assume = proxy.hits.filter((h) => h.action === "AssumeRoleWithWebIdentity");
        const others = proxy.hits.filter((h) => h.action !== "AssumeRoleWithWebIdentity");
        expect(assume.length).toBeGreaterThan(0);
        expect(new Set(assume.map((h) => h.accessKeyId))).toEqual(new Set([""]));
        expect(others.map((h) => h.action)).toEqual(expect.arrayContaining(["GetCallerIdentity", "CreateUser", "DeleteUser"]));
        // Strict auth accepts ASIA keys only when they are a session the emulator issued.
        for (const h of others) expect(h.accessKeyId, `${h.action} signed with`).toMatch(/^ASIA/);
      } finally {
        await proxy.close();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "ec2_metadata_service_endpoint: credentials come from the metadata service there (IMDSv2)",
    async () => {
      const seen: string[] = [];
      const imds: Server = createServer((req, res) => {
        seen.push(`${req.method} ${req.url} ${req.headers["x-aws-ec2-metadata-token"] ? "with-token" : "no-token"}`);
        if (req.method === "PUT" && req.url === "/latest/api/token") return res.end("imds-session-token");
        if (req.headers["x-aws-ec2-metadata-token"] !== "imds-session-token") return res.writeHead(401).end();
        if (req.url === "/latest/meta-data/iam/security-credentials/") return res.end("instance-role\n");
        if (req.url === "/latest/meta-data/iam/security-credentials/instance-role") {
          return res.end(
            JSON.stringify({
              Code: "Success",
              AccessKeyId: "ASIAIMDSTESTKEY00001",
              SecretAccessKey: "imds-secret",
              Token: "imds-token",
              Expiration: new Date(Date.now() + 3_600_000).toISOString(),
            }),
          );
        }
        res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => imds.listen(0, "127.0.0.1", resolve));
      const proxy = await startProxy(() => ({ host: "127.0.0.1", port: port(plain) }));
      try {
        const name = uniqueName("dropin-imds");
        const config = `
provider "aws" {
  region                        = "us-east-1"
  ec2_metadata_service_endpoint = "http://127.0.0.1:${(imds.address() as AddressInfo).port}"
  http_proxy                    = "${proxy.url}"
  endpoints {
    iam = "http://iam.emulator.test:${port(plain)}"
    sts = "http://sts.emulator.test:${port(plain)}"
  }
}
${userConfig(name)}`;
        await inWorkdir(env({ AWS_EC2_METADATA_DISABLED: "" }), config, async (w) => {
          await w.ok(["apply", "-auto-approve", "-no-color"]);
          expect(users(plain)).toContain(name);
        });
        expect(seen).toEqual(
          expect.arrayContaining(["PUT /latest/api/token no-token", "GET /latest/meta-data/iam/security-credentials/instance-role with-token"]),
        );
        expect(proxy.hits.length).toBeGreaterThan(0);
        expect(new Set(proxy.hits.map((h) => h.accessKeyId))).toEqual(new Set(["ASIAIMDSTESTKEY00001"]));
      } finally {
        await proxy.close();
        await new Promise<void>((resolve) => imds.close(() => resolve()));
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    "ignore_tags: a tag added outside Terraform stays out of the plan and is not removed by an update",
    async () => {
      const name = uniqueName("dropin-ignore");
      const block = (tags: string) => `
provider "aws" {
  skip_credentials_validation = true
  ignore_tags {
    keys         = ["owner"]
    key_prefixes = ["ops:"]
  }
}
${userConfig(name, `  tags = { ${tags} }\n`)}`;
      const e = env({ ...keys, AWS_ENDPOINT_URL: plain.url });
      await inWorkdir(e, block(`env = "dev"`), async (w) => {
        await w.ok(["apply", "-auto-approve", "-no-color"]);
        const iam = new IAMClient({ region: "us-east-1", endpoint: plain.url, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
        await iam.send(
          new TagUserCommand({
            UserName: name,
            Tags: [
              { Key: "owner", Value: "alice" },
              { Key: "ops:cost-centre", Value: "42" },
              { Key: "stray", Value: "x" },
            ],
          }),
        );
        iam.destroy();
        // Only the tag that is not ignored shows up as drift.
        const plan = await w.run(["plan", "-no-color"]);
        expect(plan.code, output(plan)).toBe(0);
        expect(output(plan)).toMatch(/"stray"\s*=\s*"x"\s*->\s*null/);
        expect(output(plan)).not.toMatch(/owner|ops:cost-centre/);

        await w.writeConfig(block(`env = "prod"`));
        await w.ok(["apply", "-auto-approve", "-no-color"]);
        expect(plain.state().users.find((u) => u.name === name)?.tags).toEqual({ env: "prod", owner: "alice", "ops:cost-centre": "42" });
        const after = await w.run(["plan", "-detailed-exitcode", "-no-color"]);
        expect(after.code, output(after)).toBe(0);
      });
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'retry_mode = "adaptive" lowers a client-side rate limit when throttled; "standard" has none',
    async () => {
      const name = uniqueName("dropin-adaptive");
      const control = new EmulatorControl(plain.url);
      const block = (mode: string) => `
provider "aws" {
  retry_mode                  = "${mode}"
  skip_credentials_validation = true
}
${userConfig(name)}`;
      const e = env({ ...keys, AWS_ENDPOINT_URL: plain.url, TF_LOG_PROVIDER: "debug" });
      await inWorkdir(e, block("standard"), async (w) => {
        try {
          await control.addFault({ action: "CreateUser", code: "Throttling", status: 400, message: "Rate exceeded", count: 2 });
          const standard = await w.ok(["apply", "-auto-approve", "-no-color"]);
          expect(output(standard)).toMatch(/retrying AWS call/);
          expect(output(standard)).not.toMatch(/client-side rate limit changed/);

          await w.ok(["destroy", "-auto-approve", "-no-color"]);
          await w.writeConfig(block("adaptive"));
          await control.addFault({ action: "CreateUser", code: "Throttling", status: 400, message: "Rate exceeded", count: 2 });
          const adaptive = await w.ok(["apply", "-auto-approve", "-no-color"]);
          expect(output(adaptive)).toMatch(/retrying AWS call/);
          expect(output(adaptive)).toMatch(/client-side rate limit changed.*calls_per_second/);
          expect(users(plain)).toContain(name);
        } finally {
          await control.clearFaults();
        }
      });
    },
    CASE_TIMEOUT_MS,
  );
});
