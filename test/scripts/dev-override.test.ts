// `npm run dev-override`: a CLI configuration pointing a provider address (the provider's own by
// default, or --address) at a wrapper that runs dist/, the export line to use it, the user's
// ~/.terraformrc untouched, and Terraform really using dist/ through it under either address;
// with --sea, the single executable instead.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.ts";
import { REPO_ROOT, providerBinary } from "../support/dist.ts";
import { OFFICIAL_PROVIDER_ADDRESS, OWN_PROVIDER_ADDRESS } from "../../src/provider-address.ts";
import { cleanEnv, PINNED_NODE, run, terraform } from "../packaging/support.ts";
import { PROVIDER_VERSION } from "../../src/version.ts";

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

async function devOverride(args: string[], code = 0) {
  const r = await run(process.execPath, ["scripts/dev-override.mjs", ...args], { env: { ...process.env, HOME: home } });
  expect(r.code, r.stderr).toBe(code);
  return r;
}

const overrideDir = (address: string) => join(REPO_ROOT, "build", "dev-override", ...address.split("/"));

describe("npm run dev-override", () => {
  it("writes .terraformrc.dev in the repository and prints the export line, leaving ~/.terraformrc alone", async () => {
    const r = await devOverride([]);
    const file = join(REPO_ROOT, ".terraformrc.dev");
    expect(r.stdout.split("\n")).toContain(`export TF_CLI_CONFIG_FILE=${file}`);
    const config = await readFile(file, "utf8");
    expect(config).toContain(`"${OWN_PROVIDER_ADDRESS}" = ${JSON.stringify(overrideDir(OWN_PROVIDER_ADDRESS))}`);
    const wrapper = await readFile(join(overrideDir(OWN_PROVIDER_ADDRESS), "terraform-provider-awsssc"), "utf8");
    expect(wrapper).toMatch(new RegExp(`^exec \\S+/dist/terraform-provider-aws --address ${OWN_PROVIDER_ADDRESS} "\\$@"$`, "m"));
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

  it("refuses a bad address with one line that shows the expected form", async () => {
    for (const bad of ["awsssc", "registry.terraform.io/Iamssc/awsssc", "registry.terraform.io/iamssc/aws_ssc", "a/b/c/d"]) {
      const r = await devOverride(["--address", bad, "--file", join(home, "never")], 2);
      expect(r.stderr.trimEnd().split("\n")).toEqual([
        `dev-override: --address ${JSON.stringify(bad)} is not a provider source address: expected HOST/NAMESPACE/TYPE in lower case, such as ${OWN_PROVIDER_ADDRESS} or ${OFFICIAL_PROVIDER_ADDRESS}`,
      ]);
    }
    expect(existsSync(join(home, "never"))).toBe(false);
  });

  it.each([
    [
      "the provider's own address, routed with provider =",
      [],
      OWN_PROVIDER_ADDRESS,
      'terraform {\n  required_providers {\n    awsssc = { source = "iamssc/awsssc" }\n  }\n}\nresource "aws_iam_user" "dev" {\n  provider = awsssc\n  name     = "dev-override-own"\n}\n',
      "dev-override-own",
    ],
    [
      "hashicorp/aws (drop-in)",
      ["--address", OFFICIAL_PROVIDER_ADDRESS],
      OFFICIAL_PROVIDER_ADDRESS,
      'resource "aws_iam_user" "dev" {\n  name = "dev-override-user"\n}\n',
      "dev-override-user",
    ],
  ])(
    "makes terraform use dist/ without terraform init, under %s",
    async (_name, args, address, config, user) => {
      providerBinary();
      const file = join(home, `rc-${user}`);
      const r = await devOverride([...args, "--file", file]);
      const exported = /^export TF_CLI_CONFIG_FILE=(.+)$/m.exec(r.stdout)?.[1];
      expect(exported).toBe(file);
      const work = join(home, `work-${user}`);
      await mkdir(work, { recursive: true });
      await writeFile(join(work, "main.tf"), config);
      const env = cleanEnv({
        HOME: home,
        TF_CLI_CONFIG_FILE: exported!,
        AWS_ENDPOINT_URL: emulator.url,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
      });
      const applied = await terraform(work, env, ["apply", "-auto-approve", "-input=false"]);
      expect(applied.stderr + applied.stdout).toContain(`${address.replace("registry.terraform.io/", "")} in ${overrideDir(address)}`);
      expect(emulator.state().users.map((u) => u.name)).toContain(user);
      const state = JSON.parse((await terraform(work, env, ["state", "pull"])).stdout) as { resources: { provider: string }[] };
      expect(state.resources.map((res) => res.provider)).toEqual([`provider["${address}"]`]);
      await terraform(work, env, ["destroy", "-auto-approve", "-input=false"]);
      expect(emulator.state().users.map((u) => u.name)).not.toContain(user);
    },
    120_000,
  );

  it("--sea points terraform at the single executable on the pinned Node.js, built from src/", async () => {
    const file = join(home, "rc-sea");
    const r = await devOverride(["--sea", "--file", file]);
    const dir = join(REPO_ROOT, "build", "dev-override-sea", ...OWN_PROVIDER_ADDRESS.split("/"));
    expect(await readFile(file, "utf8")).toContain(`"${OWN_PROVIDER_ADDRESS}" = ${JSON.stringify(dir)}`);
    const link = join(dir, "terraform-provider-awsssc");
    const executable = await realpath(link);
    expect(r.stdout).toContain(`(runs ${executable})`);
    // Not the launcher: the executable itself, on the Node.js scripts/sea-node.json pins.
    const version = await run(link, ["--version"]);
    expect(version.stdout).toBe(
      `terraform-provider-awsssc ${PROVIDER_VERSION} (IAM service-specific credentials; answers to ${OWN_PROVIDER_ADDRESS}) on Node.js v${PINNED_NODE}\n`,
    );
    const work = join(home, "work-sea");
    await mkdir(work, { recursive: true });
    await writeFile(
      join(work, "main.tf"),
      'terraform {\n  required_providers {\n    awsssc = { source = "iamssc/awsssc" }\n  }\n}\nresource "aws_iam_user" "dev" {\n  provider = awsssc\n  name     = "dev-override-sea"\n}\n',
    );
    const env = cleanEnv({
      HOME: home,
      TF_CLI_CONFIG_FILE: file,
      AWS_ENDPOINT_URL: emulator.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    const applied = await terraform(work, env, ["apply", "-auto-approve", "-input=false"]);
    expect(applied.stderr + applied.stdout).toContain(`iamssc/awsssc in ${dir}`);
    expect(emulator.state().users.map((u) => u.name)).toContain("dev-override-sea");
    await terraform(work, env, ["destroy", "-auto-approve", "-input=false"]);
    expect(emulator.state().users.map((u) => u.name)).not.toContain("dev-override-sea");
  }, 300_000);
});
