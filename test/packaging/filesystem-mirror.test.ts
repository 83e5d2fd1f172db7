// `npm run package` as a Terraform user meets it: a filesystem mirror that `terraform init`
// installs from with no registry and no network, whose single executable (a Node SEA, no Node.js
// needed) then plans, applies and destroys against the emulator; and the same smoke test,
// handshake and apply, for the SEA and for the development launcher in dist/.
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.ts";
import { createSelfSignedCertificate } from "../../src/transport/self-signed-certificate.ts";
import { TerraformWorkingDir } from "../harness/index.ts";
import { PROVIDER_BINARY } from "../support/dist.ts";
import {
  MAGIC_COOKIE,
  derBase64ToPem,
  killAllStarted,
  makeClient,
  parseHandshake,
  terminate,
  terraformEnv,
  track,
  unary,
  waitForOutput,
} from "../support/plugin-process.ts";
import * as grpc from "@grpc/grpc-js";
import {
  DEFAULT_MIRROR,
  DROP_IN_MIRROR,
  PINNED_NODE,
  VERSION,
  cleanEnv,
  ensureMirrors,
  h1Hash,
  readZip,
  run,
  sha256,
  sha256File,
  terraform,
  terraformPlatform,
} from "./support.ts";

const CONFIG = (user: string) => `
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "${VERSION}"
    }
  }
}

resource "aws_iam_user" "example" {
  name = "${user}"
}

resource "aws_iam_service_specific_credential" "example" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.example.name
}

output "password_length" {
  value     = length(aws_iam_service_specific_credential.example.service_password)
  sensitive = true
}
`;

let emulator: Emulator;
const dirs: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

// The default build (the provider's own address) and the drop-in under hashicorp/aws.
const SEA_EXECUTABLE = DEFAULT_MIRROR.seaExecutable;

beforeAll(async () => {
  await ensureMirrors([DEFAULT_MIRROR, DROP_IN_MIRROR]);
  emulator = await startEmulator();
}, 600_000);

afterAll(async () => {
  await killAllStarted();
  await emulator?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function awsEnv(): Record<string, string> {
  return { AWS_ENDPOINT_URL: emulator.url, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" };
}

describe("npm run package", () => {
  it("by default lays out the provider's own address in build/mirror", () => {
    expect(DEFAULT_MIRROR.providerDir).toBe(join(DEFAULT_MIRROR.dir, "registry.terraform.io", "iamssc", "awsssc"));
    expect(DEFAULT_MIRROR.dir.endsWith(join("build", "mirror"))).toBe(true);
    expect(DEFAULT_MIRROR.executableName).toBe(`terraform-provider-awsssc_v${VERSION}`);
  });

  it("writes the release files: a zip holding the executable with mode 0755, SHA256SUMS and the manifest", async () => {
    const { providerDir: MIRROR_PROVIDER_DIR, zipName: ZIP_NAME, executableName: EXECUTABLE_NAME, type } = DEFAULT_MIRROR;
    const zipPath = join(MIRROR_PROVIDER_DIR, ZIP_NAME);
    const zip = await readFile(zipPath);
    const entries = readZip(zip);
    expect(entries.map((e) => e.name)).toEqual([EXECUTABLE_NAME]);
    const [entry] = entries;
    expect(entry!.host).toBe(3);
    expect(entry!.mode).toBe(0o100755);
    expect(sha256(entry!.data)).toBe(await sha256File(SEA_EXECUTABLE));
    expect(statSync(SEA_EXECUTABLE).mode & 0o777).toBe(0o755);

    const manifestName = `terraform-provider-${type}_${VERSION}_manifest.json`;
    const manifest = await readFile(join(MIRROR_PROVIDER_DIR, manifestName), "utf8");
    expect(JSON.parse(manifest)).toEqual({ version: 1, metadata: { protocol_versions: ["6.0"] } });

    const sums = await readFile(join(MIRROR_PROVIDER_DIR, `terraform-provider-${type}_${VERSION}_SHA256SUMS`), "utf8");
    const lines = sums.trimEnd().split("\n");
    expect(lines).toContain(`${sha256(zip)}  ${ZIP_NAME}`);
    expect(lines).toContain(`${sha256(manifest)}  ${manifestName}`);
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{64} {2}terraform-provider-awsssc_\S+$/);
  });

  it("embeds the pinned Node.js LTS: --version names it, and the launcher names the machine's", async () => {
    const expected = (node: string) =>
      `terraform-provider-awsssc ${VERSION} (IAM service-specific credentials; answers to ${DEFAULT_MIRROR.address}) on Node.js ${node}\n`;
    const sea = await run(SEA_EXECUTABLE, ["--version"]);
    expect([sea.code, sea.stdout, sea.stderr]).toEqual([0, expected(`v${PINNED_NODE}`), ""]);
    const launcher = await run(PROVIDER_BINARY, ["--version"]);
    expect([launcher.code, launcher.stdout, launcher.stderr]).toEqual([0, expected(process.version), ""]);
    // Nothing else starts: no handshake, no socket, whatever the environment says.
    const asPlugin = await run(SEA_EXECUTABLE, ["--version"], { env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE, PLUGIN_PROTOCOL_VERSIONS: "6" } });
    expect(asPlugin.stdout).toBe(expected(`v${PINNED_NODE}`));
  });
});

describe("terraform init from the filesystem mirror, offline", () => {
  it("installs the drop-in build as hashicorp/aws, locks its h1: hash, then plans, applies and destroys with the single executable", async () => {
    const { dir: MIRROR_DIR, executableName: EXECUTABLE_NAME, seaExecutable: DROP_IN_EXECUTABLE } = DROP_IN_MIRROR;
    const dir = await tempDir("tf-mirror-");
    const cliConfig = join(dir, "terraformrc");
    // Nothing but the mirror: no registry, no direct installation.
    await writeFile(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(MIRROR_DIR)}\n  }\n}\n`);
    const work = join(dir, "work");
    await mkdir(work);
    await writeFile(join(work, "main.tf"), CONFIG("mirror-user"));
    // A proxy that refuses every connection: any attempt to reach the network fails.
    const env = cleanEnv({ TF_CLI_CONFIG_FILE: cliConfig, HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9", ...awsEnv() });

    const init = await terraform(work, env, ["init", "-input=false"]);
    expect(init.stdout).toContain(`Installed hashicorp/aws v${VERSION}`);

    const installed = join(work, ".terraform", "providers", "registry.terraform.io", "hashicorp", "aws", VERSION, terraformPlatform(), EXECUTABLE_NAME);
    expect(existsSync(installed)).toBe(true);
    expect(statSync(installed).mode & 0o111).toBe(0o111);
    expect(await sha256File(installed)).toBe(await sha256File(DROP_IN_EXECUTABLE));

    const lock = await readFile(join(work, ".terraform.lock.hcl"), "utf8");
    expect(lock).toContain('provider "registry.terraform.io/hashicorp/aws" {');
    expect(lock).toMatch(new RegExp(`\\bversion\\s+= "${VERSION.replace(/\./g, "\\.")}"`));
    const expectedH1 = await h1Hash([{ name: EXECUTABLE_NAME, path: DROP_IN_EXECUTABLE }]);
    expect(lock).toContain(`"${expectedH1}"`);

    const plan = await terraform(work, env, ["plan", "-input=false"]);
    expect(plan.stdout).toContain("Plan: 2 to add, 0 to change, 0 to destroy.");
    await terraform(work, env, ["apply", "-auto-approve", "-input=false"]);
    const length = Number((await terraform(work, env, ["output", "-raw", "password_length"])).stdout);
    expect(length).toBeGreaterThan(10);
    expect((await terraform(work, env, ["plan", "-detailed-exitcode", "-input=false"], [0, 2])).code).toBe(0);
    await terraform(work, env, ["destroy", "-auto-approve", "-input=false"]);
    expect(emulator.state().users.map((u) => u.name)).not.toContain("mirror-user");
  }, 180_000);
});

interface SchemaResponse {
  resource_schemas?: Record<string, unknown>;
}

/** Starts a provider executable as Terraform does and returns the time to its handshake line. */
async function handshakeSmoke(binary: string): Promise<number> {
  const clientCert = createSelfSignedCertificate();
  const started = performance.now();
  const child = spawn(binary, [], { env: terraformEnv(clientCert.certPem), stdio: ["ignore", "pipe", "pipe"] });
  const { output, exited } = track(child);
  try {
    await waitForOutput(output, exited, (o) => o.stdout.includes("\n"), 15_000, "the handshake line");
    const elapsed = performance.now() - started;
    const h = parseHandshake(output.stdout);
    expect([h.coreVersion, h.protocolVersion, h.network, h.protocol]).toEqual(["1", "6", "unix", "grpc"]);
    expect(h.cert).toMatch(/^[A-Za-z0-9+/]{51,}$/);
    const creds = grpc.credentials.createSsl(Buffer.from(derBase64ToPem(h.cert)), Buffer.from(clientCert.keyPem), Buffer.from(clientCert.certPem));
    const provider = makeClient("tfplugin6.Provider", `unix://${h.address}`, creds);
    const controller = makeClient("plugin.GRPCController", `unix://${h.address}`, creds);
    try {
      const schema = await unary<SchemaResponse>(provider, "GetProviderSchema", {});
      expect(Object.keys(schema.resource_schemas ?? {}).sort()).toEqual(["aws_iam_service_specific_credential", "aws_iam_user"]);
      // The plugin exits right after replying; the reply may lose the race with the exit
      // (UNAVAILABLE), as Terraform tolerates. What counts is that the process ends cleanly.
      await unary(controller, "Shutdown", {}).catch((err: grpc.ServiceError) => {
        if (err.code !== grpc.status.UNAVAILABLE) throw err;
      });
      const exit = await exited;
      expect(exit.code).toBe(0);
    } finally {
      provider.close();
      controller.close();
    }
    expect(output.stderr).toBe("");
    return elapsed;
  } finally {
    await terminate(child);
  }
}

async function applySmoke(binary: string, user: string): Promise<void> {
  // dev_overrides wants a directory holding `terraform-provider-aws`: dist/ for the launcher
  // (which finds provider.mjs beside itself), a directory with a link for the executable.
  let providerDir = dirname(binary);
  if (basename(binary) !== "terraform-provider-aws") {
    providerDir = await tempDir("tf-provider-bin-");
    await symlink(binary, join(providerDir, "terraform-provider-aws"));
  }
  const wd = await TerraformWorkingDir.create({ providerDir, env: awsEnv() });
  try {
    await wd.writeConfig(CONFIG(user).replace(/terraform \{[\s\S]*?\n\}\n/, ""));
    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    const state = await wd.showState();
    const credential = state.values?.root_module?.resources?.find((r) => r.type === "aws_iam_service_specific_credential");
    expect(String(credential?.values.service_password ?? "").length).toBeGreaterThan(10);
    expect((await wd.run(["plan", "-detailed-exitcode", "-no-color"])).code).toBe(0);
    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
  } finally {
    await wd.cleanup();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("the single executable passes the launcher's smoke test", () => {
  const times: Record<string, number[]> = {};
  afterAll(() => {
    const sea = statSync(SEA_EXECUTABLE).size;
    const zip = statSync(join(DEFAULT_MIRROR.providerDir, DEFAULT_MIRROR.zipName)).size;
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    const lines = Object.entries(times).map(
      ([name, t]) => `  ${name}: median ${median(t).toFixed(0)} ms, min ${Math.min(...t).toFixed(0)} ms (${t.length} starts)`,
    );
    console.log([`single executable ${mib(sea)} (zip ${mib(zip)}); start-up to the handshake line:`, ...lines].join("\n"));
  });

  for (const [name, binary] of [
    ["single executable", SEA_EXECUTABLE],
    ["dist launcher", PROVIDER_BINARY],
  ] as const) {
    it(`${name}: AutoMTLS handshake, GetProviderSchema, Shutdown, and terraform apply`, async () => {
      times[name] = [];
      for (let i = 0; i < 5; i++) times[name].push(await handshakeSmoke(binary));
      await applySmoke(binary, `smoke-${name.split(" ")[0]}`);
    }, 180_000);
  }
});
