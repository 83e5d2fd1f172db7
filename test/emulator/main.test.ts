import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { stsClient } from "./support.ts";

// The CLI is exercised as `npm run build` ships it: one esbuild bundle run by plain node.
let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "emulator-cli-"));
  bundle = join(dir, "emulator.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("../../src/emulator/main.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: bundle,
    logLevel: "silent",
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function launch(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [bundle, ...args], { stdio: "pipe" });
}

function readyLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.includes("http://127.0.0.1:"));
      if (line) resolve(line);
    });
    child.on("exit", (code) => reject(new Error(`exited with ${code} before ready`)));
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

test("--port 0 prints a ready line with the URL, serves STS, and exits 0 on SIGTERM", async () => {
  const child = launch(["--port", "0", "--profile", "localstack"]);
  const exit = exitOf(child);
  const line = await readyLine(child);
  expect(line).toMatch(/^IAM emulator listening on http:\/\/127\.0\.0\.1:\d+ \(profile localstack\)$/);
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)![0];
  const sts = stsClient({ url } as Emulator);
  expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe("123456789012");
  sts.destroy();
  const health = await (await fetch(`${url}/__emulator/health`)).json();
  expect(health.profile).toBe("localstack");
  child.kill("SIGTERM");
  expect((await exit).code).toBe(0);
});

test("a given port is used, strict auth is reported, and SIGINT also exits 0", async () => {
  const port = await freePort();
  const child = launch([`--port=${port}`, "--strict-auth"]);
  const exit = exitOf(child);
  const line = await readyLine(child);
  expect(line).toContain(`http://127.0.0.1:${port}`);
  expect(line).toContain("strict auth");
  child.kill("SIGINT");
  expect((await exit).code).toBe(0);
});

test("bad arguments print usage and exit 2", async () => {
  const child = launch(["--profile", "gcp"]);
  const { code, stderr } = await exitOf(child);
  expect(code).toBe(2);
  expect(stderr).toContain('unknown profile "gcp"');
  expect(stderr).toContain("usage: emulator");
});
