import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compilerTierFlags } from "../src/compiler-tiers.ts";
import { REPO_ROOT } from "./support/dist.ts";

/**
 * A fresh Node.js started with `nodeArgs` that calls limitCompilerTiers, then runs one function
 * hot, and returns the compiler targets V8 traced (--trace-opt) for it.
 */
function tiersOfHotFunction(nodeArgs: string[]): { flags: string[]; targets: string[] } {
  const script = `
    const { importTs } = await import(${JSON.stringify(join(REPO_ROOT, "scripts", "import-ts.mjs"))});
    const { limitCompilerTiers } = await importTs("src/compiler-tiers.ts");
    const flags = limitCompilerTiers();
    function hotFunction(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * 2; return s; }
    const a = Array.from({ length: 100 }, (_, i) => i);
    let total = 0;
    for (let i = 0; i < 2e5; i++) total += hotFunction(a);
    process.stderr.write(JSON.stringify({ flags, total }));`;
  const r = spawnSync(process.execPath, [...nodeArgs, "--trace-opt", "--input-type=module", "-e", script], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
  expect(r.status, r.stderr).toBe(0);
  const targets = r.stdout
    .split("\n")
    .filter((line) => line.includes("hotFunction") && line.includes("target "))
    .map((line) => /target (\w+)/.exec(line)![1]!);
  return { flags: JSON.parse(r.stderr).flags, targets };
}

describe("limitCompilerTiers", () => {
  it("keeps Turbofan out of a process that compiles on its main thread, not out of others", () => {
    const mainThread = tiersOfHotFunction(["--no-concurrent-recompilation"]);
    const background = tiersOfHotFunction([]);
    expect(mainThread.flags).toEqual(["--no-opt"]);
    expect(background.flags).toEqual([]);
    // Node 20 names the target TURBOFAN, Node 26 TURBOFAN_JS.
    const turbofan = (targets: string[]) => targets.filter((t) => t.startsWith("TURBOFAN"));
    expect(turbofan(background.targets)).not.toEqual([]);
    expect(turbofan(mainThread.targets)).toEqual([]);
  });

  it("is decided by the command line, and yields to Turbofan named in NODE_OPTIONS", () => {
    // The single executable's options (scripts/package.mjs).
    const executable = ["--no-warnings", "--min-semi-space-size=2", "--max-semi-space-size=2", "--max-old-space-size=128", "--no-concurrent-recompilation"];
    expect(compilerTierFlags(executable, "")).toEqual(["--no-opt"]);
    expect(compilerTierFlags(executable, "--cpu-prof --turbofan")).toEqual([]);
    expect(compilerTierFlags(["--no-warnings"], "--no-concurrent-recompilation")).toEqual([]);
  });
});
