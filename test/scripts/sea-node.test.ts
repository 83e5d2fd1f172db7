// scripts/sea-node.mjs: the Node.js the single executable embeds comes from the npm package
// pinned in scripts/sea-node.json, on a supported LTS line, and only from a tarball whose sha512
// is the recorded one. A tampered tarball is refused and deleted, and nothing is extracted.
import { existsSync, readFileSync } from "node:fs";
import { appendFile, copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/dist.ts";
import { PINNED_NODE, run, terraformPlatform } from "../packaging/support.ts";

interface Pin {
  package: string;
  version: string;
  integrity: string;
  binary: string;
}

const pin = (JSON.parse(readFileSync(join(REPO_ROOT, "scripts", "sea-node.json"), "utf8")) as { platforms: Record<string, Pin> }).platforms[
  terraformPlatform()
]!;
const tarballName = `${pin.package}-${pin.version}.tgz`;
let scratch: string;
let verifiedBinary: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "sea-node-"));
  // The repository's own cache: fetched once (npm pack) and checked, as `npm run package` does.
  const r = await run(process.execPath, ["scripts/sea-node.mjs"]);
  expect(r.code, r.stderr).toBe(0);
  verifiedBinary = r.stdout.trim();
}, 300_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("the pinned Node.js of the single executable", () => {
  it("is an LTS line that still gets fixes (24 or 26), pinned exactly, with an sha512", () => {
    expect(pin.package).toBe(`node-${process.platform}-${process.arch}`);
    expect(pin.version).toMatch(/^(24|26)\.\d+\.\d+$/);
    expect(pin.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    expect(PINNED_NODE).toBe(pin.version);
    // Not a dependency: `npm ci` must not download it.
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
    expect({ ...manifest.dependencies, ...manifest.devDependencies }).not.toHaveProperty(pin.package);
  });

  it("is the verified binary of that release", async () => {
    expect(verifiedBinary).toBe(join(REPO_ROOT, "build", "sea-node", `${pin.package}-${pin.version}`, pin.binary));
    const r = await run(verifiedBinary, ["--version"]);
    expect(r.stdout.trim()).toBe(`v${pin.version}`);
  });

  it("refuses a tampered tarball, deletes it and extracts nothing", async () => {
    const cache = join(scratch, "tampered");
    await run("mkdir", ["-p", cache]);
    const tarball = join(cache, tarballName);
    await copyFile(join(REPO_ROOT, "build", "sea-node", tarballName), tarball);
    // One byte more: still a valid gzip stream for most readers, but not the published file.
    await appendFile(tarball, Buffer.from([0]));
    const r = await run(process.execPath, ["scripts/sea-node.mjs", "--cache", cache]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`sea-node: ${tarball} does not match scripts/sea-node.json: its sha512 is sha512-`);
    expect(r.stderr).toContain(`expected ${pin.integrity}. Deleted it; nothing was built.`);
    expect(existsSync(tarball)).toBe(false);
    expect(await readdir(cache)).toEqual([]);
  });
});
