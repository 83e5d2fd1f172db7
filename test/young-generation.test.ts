import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { youngGenerationConfigured } from "../src/young-generation.ts";
import { REPO_ROOT } from "./support/dist.ts";

/**
 * A fresh Node.js (the flag must not reach this test process) that allocates garbage the way a
 * busy provider does and reports its young generation's size, after `stop` decides whether to
 * call stopYoungGenerationGrowth first.
 */
function newSpaceAfterLoad(stop: boolean, nodeArgs: string[] = []): { changed: boolean; megabytes: number } {
  const script = `
    const { importTs } = await import(${JSON.stringify(join(REPO_ROOT, "scripts", "import-ts.mjs"))});
    const { stopYoungGenerationGrowth } = await importTs("src/young-generation.ts");
    const changed = ${stop} ? stopYoungGenerationGrowth() : false;
    let live = [];
    for (let i = 0; i < 3e6; i++) { live.push({ i, s: "x" + i }); if (live.length > 200000) live = []; }
    const space = (await import("node:v8")).getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
    process.stdout.write(JSON.stringify({ changed, megabytes: space.space_size / 2 ** 20 }));`;
  const r = spawnSync(process.execPath, [...nodeArgs, "--input-type=module", "-e", script], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("stopYoungGenerationGrowth", () => {
  it("keeps the young generation at a few MB under a garbage-heavy load, where V8 alone grows it past 16 MB", () => {
    const grown = newSpaceAfterLoad(false);
    const kept = newSpaceAfterLoad(true);
    expect(grown.megabytes).toBeGreaterThanOrEqual(16);
    expect(kept.changed).toBe(true);
    expect(kept.megabytes).toBeLessThanOrEqual(4);
  });

  it("leaves a process started with its own semi-space limit alone", () => {
    const own = newSpaceAfterLoad(true, ["--max-semi-space-size=8"]);
    expect(own.changed).toBe(false);
    expect(youngGenerationConfigured(["--no-warnings", "--max-semi-space-size=2"], "")).toBe(true);
    expect(youngGenerationConfigured([], "--max-old-space-size=64 --semi-space-growth-factor=2")).toBe(true);
    expect(youngGenerationConfigured(["--no-warnings", "--max-old-space-size=128"], "--enable-source-maps")).toBe(false);
  });
});
