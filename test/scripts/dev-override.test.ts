// `npm run dev-override`: a CLI configuration pointing hashicorp/aws at dist/, the export line to
// use it, the user's ~/.terraformrc untouched, and Terraform really using dist/ through it.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.ts";
import { DIST_DIR, REPO_ROOT, providerBinary } from "../support/dist.ts";
import { cleanEnv, run, terraform } from "../packaging/support.ts";

let home: string;
let emulator: Emulator;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "dev-override-home-"));
  // A user's own configuration, which must stay as it is.
  await writeFile(join(home, ".terraformrc"), 'plugin_cache_dir = "/nowhere"\n');
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator?.close();
  await rm(home, { recursive: true, force: true });
});

async function devOverride(args: string[]) {
  const r = await run(process.execPath, ["scripts/dev-override.mjs", ...args], { env: { ...process.env, HOME: home } });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe("npm run dev-override", () => {
  it("writes .terraformrc.dev in the repository and prints the export line, leaving ~/.terraformrc alone", async () => {
    const r = await devOverride([]);
    const file = join(REPO_ROOT, ".terraformrc.dev");
    expect(r.stdout.split("\n")).toContain(`export TF_CLI_CONFIG_FILE=${file}`);
    const config = await readFile(file, "utf8");
    expect(config).toContain(`"registry.terraform.io/hashicorp/aws" = ${JSON.stringify(DIST_DIR)}`);
    expect(config).toMatch(/provider_installation \{\n\s+dev_overrides \{[\s\S]*\}\n\s+direct \{\}\n\}/);
    expect(await readFile(join(home, ".terraformrc"), "utf8")).toBe('plugin_cache_dir = "/nowhere"\n');
    expect((await readdir(home)).sort()).toEqual([".terraformrc"]);
    // The repository ignores it.
    expect(await readFile(join(REPO_ROOT, ".gitignore"), "utf8")).toMatch(/^\/\.terraformrc\.dev$/m);
  });

  it("quotes a path with spaces in the export line (--file)", async () => {
    const file = join(home, "with space", "rc");
    const r = await devOverride(["--file", file]);
    expect(r.stdout.split("\n")).toContain(`export TF_CLI_CONFIG_FILE='${file}'`);
    expect(existsSync(file)).toBe(true);
  });

  it("makes terraform use dist/ without terraform init", async () => {
    providerBinary();
    const file = join(home, "rc.dev");
    const r = await devOverride(["--file", file]);
    const exported = /^export TF_CLI_CONFIG_FILE=(.+)$/m.exec(r.stdout)?.[1];
    expect(exported).toBe(file);
    const work = join(home, "work");
    await mkdir(work, { recursive: true });
    await writeFile(join(work, "main.tf"), 'resource "aws_iam_user" "dev" {\n  name = "dev-override-user"\n}\n');
    const env = cleanEnv({
      HOME: home,
      TF_CLI_CONFIG_FILE: exported!,
      AWS_ENDPOINT_URL: emulator.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    const applied = await terraform(work, env, ["apply", "-auto-approve", "-input=false"]);
    expect(applied.stderr + applied.stdout).toContain(`hashicorp/aws in ${DIST_DIR}`);
    expect(emulator.state().users.map((u) => u.name)).toContain("dev-override-user");
    await terraform(work, env, ["destroy", "-auto-approve", "-input=false"]);
    expect(emulator.state().users.map((u) => u.name)).not.toContain("dev-override-user");
  }, 120_000);
});
