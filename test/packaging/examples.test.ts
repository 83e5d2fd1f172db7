// Every configuration in examples/ is formatted and valid; the LocalStack provider block works as
// written against an endpoint that behaves like LocalStack (the emulator's profile), and the
// emulator's provider block against the emulator.
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.ts";
import { TerraformWorkingDir } from "../harness/index.ts";
import { REPO_ROOT } from "../support/dist.ts";
import { cleanEnv, run } from "./support.ts";

const EXAMPLES = join(REPO_ROOT, "examples");
let localstack: Emulator;
let aws: Emulator;

beforeAll(async () => {
  localstack = await startEmulator({ profile: "localstack" });
  aws = await startEmulator();
});

afterAll(async () => {
  await localstack?.close();
  await aws?.close();
});

describe("examples/", () => {
  it("has the documented examples, provider blocks for LocalStack and the emulator, an import block, the data source and the side-by-side configuration", async () => {
    const dirs = (await readdir(EXAMPLES)).sort();
    expect(dirs).toEqual([
      "api-key-renewal",
      "bedrock-api-key",
      "codecommit-credential",
      "emulator-provider",
      "import-block",
      "list-credentials",
      "localstack-provider",
      "password-rotation",
      "pgp-encrypted-credential",
      "side-by-side",
    ]);
    for (const dir of dirs) expect(existsSync(join(EXAMPLES, dir, "main.tf"))).toBe(true);
  });

  it("is formatted as terraform fmt writes it", async () => {
    const r = await run("terraform", ["fmt", "-check", "-recursive", "-diff", EXAMPLES], { env: cleanEnv({}) });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it("validates, each example on its own", async () => {
    for (const dir of await readdir(EXAMPLES)) {
      const wd = await TerraformWorkingDir.create();
      try {
        await wd.writeConfig(await readFile(join(EXAMPLES, dir, "main.tf"), "utf8"));
        const r = await wd.run(["validate", "-no-color"]);
        expect(r.code, `${dir}: ${r.stdout}${r.stderr}`).toBe(0);
      } finally {
        await wd.cleanup();
      }
    }
  }, 180_000);

  it.each([
    ["localstack-provider", "http://localhost:4566", () => localstack],
    ["emulator-provider", "http://127.0.0.1:4599", () => aws],
  ] as const)(
    "%s applies, plans empty and destroys with only its endpoint changed",
    async (dir, endpoint, target) => {
      const emulator = target();
      const example = await readFile(join(EXAMPLES, dir, "main.tf"), "utf8");
      expect(example).toContain(`"${endpoint}"`);
      // No AWS_* variables: the provider block alone must be enough.
      const wd = await TerraformWorkingDir.create();
      const env = cleanEnv({ ...wd.env });
      try {
        await wd.writeConfig(example.replaceAll(endpoint, emulator.url));
        const applied = await run("terraform", ["apply", "-auto-approve", "-no-color"], { cwd: wd.dir, env });
        expect(applied.code, applied.stdout + applied.stderr).toBe(0);
        expect(emulator.state().credentials.map((c) => c.serviceName)).toEqual(["codecommit.amazonaws.com"]);
        const plan = await run("terraform", ["plan", "-detailed-exitcode", "-no-color"], { cwd: wd.dir, env });
        expect(plan.code, plan.stdout + plan.stderr).toBe(0);
        const destroyed = await run("terraform", ["destroy", "-auto-approve", "-no-color"], { cwd: wd.dir, env });
        expect(destroyed.code, destroyed.stdout + destroyed.stderr).toBe(0);
        expect(emulator.state().users).toEqual([]);
      } finally {
        await wd.cleanup();
      }
    },
    180_000,
  );
});
