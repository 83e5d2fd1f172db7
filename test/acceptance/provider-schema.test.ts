// Real Terraform v1.11 runs the built provider through dev_overrides, as a user trying the
// documented example would: validate, the schema it sees, and its errors for bad arguments.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIST_DIR, providerBinary } from "../support/dist.ts";
import { baseEnv } from "../support/plugin-process.ts";

const PROVIDER = "registry.terraform.io/hashicorp/aws";

interface TfResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

interface TfDiagnostic {
  severity: string;
  summary: string;
  detail: string;
  snippet?: { code: string };
}

let work: string;
let env: NodeJS.ProcessEnv;

function terraform(dir: string, args: string[]): Promise<TfResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile("terraform", args, { cwd: dir, env, timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** A directory holding one configuration. */
function project(name: string, credentialArguments: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, "main.tf"),
    `resource "aws_iam_user" "example" {
  name = "example"
}

resource "aws_iam_service_specific_credential" "example" {
${credentialArguments}
}
`,
  );
  return dir;
}

const BASIC = `  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.example.name`;

function validateJson(r: TfResult): { valid: boolean; diagnostics: TfDiagnostic[] } {
  return JSON.parse(r.stdout) as { valid: boolean; diagnostics: TfDiagnostic[] };
}
const errorsOf = (r: TfResult) => validateJson(r).diagnostics.filter((d) => d.severity === "error");

const results: Record<string, TfResult> = {};

beforeAll(async () => {
  providerBinary();
  work = mkdtempSync(join(tmpdir(), "provider-schema-acc-"));
  const cliConfig = join(work, "terraform.tfrc");
  writeFileSync(
    cliConfig,
    `provider_installation {
  dev_overrides {
    "${PROVIDER}" = "${DIST_DIR}"
  }
  direct {}
}
`,
  );
  env = { ...baseEnv(), TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };

  // The timing runs alone, so that the figure is not inflated by the runs below.
  const basic = project("basic", BASIC);
  results.validate = await terraform(basic, ["validate", "-no-color"]);
  results.validateAgain = await terraform(basic, ["validate", "-no-color"]);
  console.log(`terraform validate (basic example): ${results.validate.ms.toFixed(0)} ms, again ${results.validateAgain.ms.toFixed(0)} ms`);

  const runs: [string, string, string[]][] = [
    ["schema", basic, ["providers", "schema", "-json"]],
    [
      "misspelt",
      project("misspelt", `  servce_name = "codecommit.amazonaws.com"\n  user_name   = aws_iam_user.example.name`),
      ["validate", "-json", "-no-color"],
    ],
    ["expired", project("expired", `${BASIC}\n  status       = "Expired"`), ["validate", "-json", "-no-color"]],
    ["age", project("age", `${BASIC}\n  credential_age_days = 30`), ["validate", "-json", "-no-color"]],
    ["badUser", project("bad-user", `  service_name = "codecommit.amazonaws.com"\n  user_name    = "bad name!"`), ["validate", "-json", "-no-color"]],
    [
      "bedrock",
      project("bedrock", `  service_name        = "bedrock.amazonaws.com"\n  user_name           = aws_iam_user.example.name\n  credential_age_days = 30`),
      ["validate", "-json", "-no-color"],
    ],
  ];
  await Promise.all(runs.map(async ([key, dir, args]) => (results[key] = await terraform(dir, args))));
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("terraform validate on the documented example", () => {
  it("succeeds", () => {
    const r = results.validate!;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Success! The configuration is valid/);
    expect(r.stderr).not.toMatch(/Plugin did not respond|plugin crashed/i);
  });

  it("succeeds for the Bedrock API key example with credential_age_days", () => {
    const r = results.bedrock!;
    expect(r.code, r.stderr).toBe(0);
    expect(validateJson(r).valid).toBe(true);
  });
});

describe("terraform providers schema -json", () => {
  it("shows the resource schema of SPEC §2.1", () => {
    const r = results.schema!;
    expect(r.code, r.stderr).toBe(0);
    const all = JSON.parse(r.stdout) as {
      provider_schemas: Record<
        string,
        { resource_schemas: Record<string, { version: number; block: { attributes: Record<string, Record<string, unknown>>; block_types?: unknown } }> }
      >;
    };
    const credential = all.provider_schemas[PROVIDER]!.resource_schemas.aws_iam_service_specific_credential!;
    expect(credential.version).toBe(0);
    expect(credential.block.block_types).toBeUndefined();
    const modes = Object.fromEntries(
      Object.entries(credential.block.attributes).map(([name, a]) => [
        name,
        Object.fromEntries(
          Object.entries(a).filter(([k]) => ["type", "required", "optional", "computed", "sensitive", "write_only", "deprecated"].includes(k)),
        ),
      ]),
    );
    const computed = { type: "string", computed: true };
    expect(modes).toEqual({
      id: computed,
      service_name: { type: "string", required: true },
      user_name: { type: "string", required: true },
      status: { type: "string", optional: true, computed: true },
      credential_age_days: { type: "number", optional: true },
      reset_trigger: { type: "string", optional: true },
      early_renewal_days: { type: "number", optional: true },
      pgp_key: { type: "string", optional: true },
      service_password: { ...computed, sensitive: true },
      service_credential_secret: { ...computed, sensitive: true },
      encrypted_service_password: computed,
      encrypted_service_credential_secret: computed,
      key_fingerprint: computed,
      service_user_name: computed,
      service_specific_credential_id: computed,
      service_credential_alias: computed,
      create_date: computed,
      expiration_date: computed,
    });
    expect(Object.keys(all.provider_schemas[PROVIDER]!.resource_schemas).sort()).toEqual(["aws_iam_service_specific_credential", "aws_iam_user"]);
    const dataSources = (all.provider_schemas[PROVIDER] as { data_source_schemas?: Record<string, unknown> }).data_source_schemas ?? {};
    expect(Object.keys(dataSources)).toEqual(["aws_iam_service_specific_credentials"]);
  });
});

describe("terraform validate errors", () => {
  it("a misspelt argument gets Terraform's own Unsupported argument error", () => {
    const r = results.misspelt!;
    expect(r.code).not.toBe(0);
    const errors = errorsOf(r);
    expect(errors.map((d) => d.summary)).toContain("Unsupported argument");
    expect(errors.find((d) => d.summary === "Unsupported argument")!.detail).toContain('"servce_name"');
  });

  it("status = Expired says it cannot be set, pointing at status", () => {
    const errors = errorsOf(results.expired!);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.detail).toMatch(/Expired/);
    expect(errors[0]!.detail).toMatch(/cannot be set/);
    expect(errors[0]!.snippet?.code).toMatch(/^\s*status\s*=/);
  });

  it("credential_age_days on codecommit is an error at credential_age_days", () => {
    const errors = errorsOf(results.age!);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.snippet?.code).toMatch(/credential_age_days/);
  });

  it("an invalid user name is an error at user_name", () => {
    const errors = errorsOf(results.badUser!);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.detail).toContain("bad name!");
    expect(errors[0]!.snippet?.code).toMatch(/user_name/);
  });
});
