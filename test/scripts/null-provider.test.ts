// The bench's null provider (bench/null-provider.ts, scripts/null-provider-build.mjs): built
// beside the shipped bundles, never into them; this provider's schemas exactly; and handlers
// that do no work: real Terraform applies, refreshes and destroys with it, no AWS endpoint
// anywhere (every request would fail), with the computed attributes filled in.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIST_DIR, REPO_ROOT, providerBinary } from "../support/dist.ts";
import { cleanEnv, run, terraform } from "../packaging/support.ts";

const NULL_DIST = join(REPO_ROOT, "build", "null-provider", "dist");
let work: string;

beforeAll(async () => {
  providerBinary();
  const r = await run(process.execPath, ["scripts/null-provider-build.mjs"]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.trim()).toBe(join(NULL_DIST, "terraform-provider-aws"));
  work = await mkdtemp(join(tmpdir(), "null-provider-"));
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".mjs"))
    .map((e) => join(e.parentPath, e.name));

describe("the null provider of npm run bench", () => {
  it("is built outside dist/ with the same launcher, and the shipped bundle has none of it", () => {
    expect(readFileSync(join(NULL_DIST, "terraform-provider-aws"), "utf8")).toBe(readFileSync(join(DIST_DIR, "terraform-provider-aws"), "utf8"));
    const marker = "nullResource";
    expect(files(NULL_DIST).some((f) => readFileSync(f, "utf8").includes(marker))).toBe(true);
    expect(files(DIST_DIR).filter((f) => readFileSync(f, "utf8").includes(marker))).toEqual([]);
    expect(existsSync(join(DIST_DIR, "null-provider"))).toBe(false);
  });

  it("serves the same schemas, and applies, refreshes and destroys without calling any API", async () => {
    await writeFile(
      join(work, "rc"),
      `provider_installation {\n  dev_overrides {\n    "registry.terraform.io/hashicorp/aws" = ${JSON.stringify(NULL_DIST)}\n  }\n  direct {}\n}\n`,
    );
    await writeFile(
      join(work, "main.tf"),
      'resource "aws_iam_user" "u" {\n  name = "null-user"\n}\nresource "aws_iam_service_specific_credential" "c" {\n  count        = 3\n  service_name = "codecommit.amazonaws.com"\n  user_name    = aws_iam_user.u.name\n}\n',
    );
    // An endpoint that refuses every connection: a single AWS request would fail the apply.
    const env = cleanEnv({
      TF_CLI_CONFIG_FILE: join(work, "rc"),
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    const real = cleanEnv({ TF_CLI_CONFIG_FILE: join(work, "rc-real") });
    await writeFile(
      join(work, "rc-real"),
      `provider_installation {\n  dev_overrides {\n    "registry.terraform.io/hashicorp/aws" = ${JSON.stringify(DIST_DIR)}\n  }\n  direct {}\n}\n`,
    );
    const schemas = (e: NodeJS.ProcessEnv) => terraform(work, e, ["providers", "schema", "-json"]).then((r) => JSON.parse(r.stdout) as unknown);
    expect(await schemas(env)).toEqual(await schemas(real));

    await terraform(work, env, ["apply", "-auto-approve", "-input=false"]);
    const state = JSON.parse((await terraform(work, env, ["show", "-json"])).stdout) as {
      values: { root_module: { resources: { type: string; values: Record<string, unknown> }[] } };
    };
    const credentials = state.values.root_module.resources.filter((r) => r.type === "aws_iam_service_specific_credential");
    expect(credentials).toHaveLength(3);
    for (const c of credentials) {
      expect(c.values.user_name).toBe("null-user");
      expect(c.values.status).toBe("Active");
      expect(typeof c.values.id).toBe("string");
      expect(typeof c.values.service_specific_credential_id).toBe("string");
    }
    expect(new Set(credentials.map((c) => c.values.id)).size).toBe(3);
    expect((await terraform(work, env, ["plan", "-detailed-exitcode", "-input=false"], [0, 2])).code).toBe(0);
    await terraform(work, env, ["destroy", "-auto-approve", "-input=false"]);
  }, 180_000);
});
