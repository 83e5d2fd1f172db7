// `npm start`, the README's first command after `npm ci`: the demo's step lines, sensitive
// outputs, and that nothing it started (emulator, Terraform, providers) is left running, on
// success and on failure.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/dist.ts";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  marker: string;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Runs a command with a unique variable in its environment, which every descendant inherits. */
function runMarked(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  const marker = `DEMO_TEST_MARKER=${randomBytes(8).toString("hex")}`;
  const [key, value] = marker.split("=") as [string, string];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...env, [key]: value }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, marker }));
  });
}

/** Live (non-zombie) processes whose environment contains the marker. */
async function processesWith(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const environ = await readFile(`/proc/${pid}/environ`, "latin1");
      if (!environ.split("\0").includes(marker)) continue;
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state !== "Z" && state !== "X") found.push(`${pid}: ${(await readFile(`/proc/${pid}/cmdline`, "utf8")).replace(/\0/g, " ")}`);
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

const STEP = (text: string) => new RegExp(`^✓ ${text.replace(/[()]/g, "\\$&")} \\(\\d+\\.\\d s\\)$`, "m");

describe.skipIf(process.platform !== "linux")("npm start (the demo)", () => {
  it("builds, starts the emulator, runs both documented examples step by step, and leaves nothing running", async () => {
    const r = await runMarked("npm", ["start", "--silent"]);
    const output = `${r.stdout}\n${r.stderr}`;
    expect(r.code, output).toBe(0);
    expect(r.stdout).toMatch(STEP("build the provider (npm run build)"));
    expect(r.stdout).toMatch(STEP("start the IAM emulator"));
    expect(r.stdout).toMatch(STEP("write a private CLI config with dev_overrides"));
    for (const example of ["codecommit", "bedrock"]) {
      const lines = [
        STEP(`apply ${example} example`),
        STEP(`show outputs of ${example} example`),
        STEP(`second plan of ${example} example is empty`),
        ...(example === "codecommit" ? [STEP("list credentials of user example and import them (examples/list-credentials)")] : []),
        STEP(`import ${example} credential by id into a fresh state`),
        STEP(`destroy ${example} example`),
      ];
      let from = 0;
      for (const line of lines) {
        const rest = r.stdout.slice(from);
        const match = line.exec(rest);
        expect(match, `${String(line)} (in order) in:\n${output}`).not.toBeNull();
        from += match!.index + match![0].length;
      }
      expect(r.stdout).toMatch(new RegExp(`^    credential_id = "${example}\\.amazonaws\\.com:example:ACCA\\w+"$`, "m"));
      expect(r.stdout).toMatch(
        new RegExp(`^    terraform import aws_iam_service_specific_credential\\.\\w+ ${example}\\.amazonaws\\.com:example:ACCA\\w+$`, "m"),
      );
    }
    // Secrets stay masked: in the plan, after apply, and in `terraform output`.
    expect(r.stdout.match(/^ {4}secret = <sensitive>$/gm)).toHaveLength(2);
    expect(r.stdout).toMatch(/service_password = \(sensitive value\)/);
    expect(r.stdout).toMatch(STEP("stop the IAM emulator"));
    // The data source listed the CodeCommit credential with its import id, and the import block took it.
    expect(r.stdout).toMatch(/^ {4}1 imported, 0 added, 0 changed, 0 destroyed$/m);
    expect(r.stdout).toMatch(/^ {6}"codecommit\.amazonaws\.com:example:ACCA\w+" = "Active"$/m);
    expect(r.stdout.match(/^✓ list credentials/gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/^Demo complete: 15 steps in \d+\.\d s; nothing left running\.$/m);

    const emulatorPid = /^ {4}http:\/\/127\.0\.0\.1:\d+ \(pid (\d+)\)$/m.exec(r.stdout)?.[1];
    expect(emulatorPid).toBeDefined();
    expect(await processesWith(r.marker)).toEqual([]);
    // No temporary directory of the demo is left either.
    const tmp = /TF_CLI_CONFIG_FILE=(\S+)\/terraformrc/.exec(r.stdout)?.[1];
    expect(tmp).toBeDefined();
    await expect(readdir(tmp!)).rejects.toThrow();
  }, 300_000);

  it("on a failing step: prints Terraform's output, cleans up, exits non-zero, leaves nothing running", async () => {
    // A `terraform` earlier on PATH that reports drift for every plan and runs the real one otherwise.
    const real = (process.env.PATH ?? "")
      .split(delimiter)
      .map((d) => join(d, "terraform"))
      .find((p) => statSync(p, { throwIfNoEntry: false })?.isFile());
    expect(real).toBeDefined();
    const bin = await mkdtemp(join(tmpdir(), "fake-terraform-"));
    dirs.push(bin);
    await writeFile(
      join(bin, "terraform"),
      `#!/bin/sh\nif [ "$1" = "plan" ]; then echo "Plan: 0 to add, 1 to change, 0 to destroy. (fake drift)"; exit 2; fi\nexec ${JSON.stringify(real)} "$@"\n`,
    );
    await chmod(join(bin, "terraform"), 0o755);

    const r = await runMarked(process.execPath, ["scripts/demo.mjs", "--no-build"], { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(STEP("apply codecommit example"));
    expect(r.stdout).toMatch(/^✗ second plan of codecommit example is empty \(\d+\.\d s\)$/m);
    expect(r.stdout).toContain("Demo failed: the plan after apply is not empty");
    expect(r.stdout).toContain("(fake drift)");
    expect(r.stdout).not.toContain("bedrock example");
    expect(await processesWith(r.marker)).toEqual([]);
  }, 300_000);
});
