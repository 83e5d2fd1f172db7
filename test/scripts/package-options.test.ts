// `npm run package` options: a bad --address or --version is refused before anything is built or
// written, with one line that shows the expected form.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../packaging/support.ts";
import { ADDRESS_FORM, VERSION_FORM } from "../../src/provider-address.ts";

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "package-options-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("npm run package refuses bad options", () => {
  it.each([
    [["--address", "hashicorp/aws"], `package: --address "hashicorp/aws" is not a provider source address: expected ${ADDRESS_FORM}`],
    [
      ["--address=registry.terraform.io/HashiCorp/aws"],
      `package: --address "registry.terraform.io/HashiCorp/aws" is not a provider source address: expected ${ADDRESS_FORM}`,
    ],
    [
      ["--address", "registry.terraform.io/iamssc/aws_ssc"],
      `package: --address "registry.terraform.io/iamssc/aws_ssc" is not a provider source address: expected ${ADDRESS_FORM}`,
    ],
    [["--version", "6.25"], `package: --version "6.25" is not a provider version: expected ${VERSION_FORM}`],
    [["--version", "v6.25.0"], `package: --version "v6.25.0" is not a provider version: expected ${VERSION_FORM}`],
    [["--version=06.1.0"], `package: --version "06.1.0" is not a provider version: expected ${VERSION_FORM}`],
  ])("%j", async (args, message) => {
    const out = join(scratch, "mirror");
    const r = await run(process.execPath, ["scripts/package.mjs", ...args, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toEqual([message]);
    expect(r.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });
});
