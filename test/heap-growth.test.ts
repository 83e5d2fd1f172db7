import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { heapGrowthFlags } from "../src/heap-growth.ts";
import { REPO_ROOT } from "./support/dist.ts";

/**
 * A fresh Node.js (the flags must not reach this test process) that allocates garbage the way a
 * busy provider does, holding a few MB live, and reports its young generation's size and the
 * old generation's largest size, after `limit` decides whether to call limitHeapGrowth first.
 */
function heapAfterLoad(limit: boolean, nodeArgs: string[] = []): { flags: string[]; youngMB: number; oldMB: number } {
  const script = `
    const { importTs } = await import(${JSON.stringify(join(REPO_ROOT, "scripts", "import-ts.mjs"))});
    const { limitHeapGrowth } = await importTs("src/heap-growth.ts");
    const v8 = await import("node:v8");
    const flags = ${limit} ? limitHeapGrowth() : [];
    const space = (name) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name).space_size / 2 ** 20;
    const kept = [];
    let young = [];
    let oldMB = 0;
    for (let i = 0; i < 4e6; i++) {
      young.push({ i, s: "x" + i });
      if (young.length > 200000) young = [];
      // Garbage that lives long enough to reach the old generation, as a request's objects do.
      if (i % 40 === 0) kept.push({ i, s: "y" + i });
      if (kept.length > 20000) kept.splice(0, 10000);
      if (i % 10000 === 0) oldMB = Math.max(oldMB, space("old_space"));
    }
    process.stdout.write(JSON.stringify({ flags, youngMB: space("new_space"), oldMB }));`;
  const r = spawnSync(process.execPath, [...nodeArgs, "--input-type=module", "-e", script], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe("limitHeapGrowth", () => {
  it("keeps both generations small under a garbage-heavy load, where V8 alone grows them", () => {
    const grown = heapAfterLoad(false);
    const kept = heapAfterLoad(true);
    expect(kept.flags).toEqual(["--semi-space-growth-factor=1", "--heap-growing-percent=25"]);
    expect(grown.youngMB).toBeGreaterThanOrEqual(16);
    expect(kept.youngMB).toBeLessThanOrEqual(4);
    // Measured: 90 MB alone, 64 MB with only the young generation held, 30 MB with both.
    expect(kept.oldMB).toBeLessThan(grown.oldMB / 2);
  });

  it("leaves a process started with heap flags of its own alone", () => {
    expect(heapAfterLoad(true, ["--max-semi-space-size=8"]).flags).toEqual([]);
    // The single executable's flags.
    expect(heapGrowthFlags(["--no-warnings", "--max-semi-space-size=2", "--max-old-space-size=128"], "")).toEqual([]);
    expect(heapGrowthFlags(["--no-warnings"], "--enable-source-maps")).toEqual(["--semi-space-growth-factor=1", "--heap-growing-percent=25"]);
    // A young-generation limit in NODE_OPTIONS is kept; a global old-space cap is no growth rate.
    expect(heapGrowthFlags([], "--max-old-space-size=4096 --max-semi-space-size=2")).toEqual(["--heap-growing-percent=25"]);
    expect(heapGrowthFlags([], "--max-old-space-size=4096")).toEqual(["--semi-space-growth-factor=1", "--heap-growing-percent=25"]);
  });
});
