// Installing the provider as a Terraform user does, from mirrors that `npm run package` builds and
// `terraform init` installs offline:
//   - beside hashicorp/aws under its own address, routed with `provider = awsssc`;
//   - as a drop-in under hashicorp/aws, pinned to an official provider's version, in JSON syntax.
// No registry is reachable here, so the hashicorp/aws mirror holds this provider's drop-in build:
// Terraform treats it as the official provider, which is what a mixed configuration needs to prove
// (each resource planned, applied, imported and destroyed by the provider its block names).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateServiceSpecificCredentialCommand, type IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { OFFICIAL_PROVIDER_ADDRESS, OWN_PROVIDER_ADDRESS } from "../../src/provider-address.ts";
import { uniqueName } from "../harness/index.ts";
import { DEFAULT_MIRROR, PINNED_MIRROR, VERSION, emulatorProviderBlock, startMirrorLab, type MirrorBuild, type MirrorLab, type StateFile } from "./support.ts";

const PINNED = PINNED_MIRROR;
const OWN = DEFAULT_MIRROR;

let lab: MirrorLab;
let emulator: Emulator;
let iam: IAMClient;

const workspace = (prefix: string, builds: readonly MirrorBuild[]) => lab.workspace(prefix, builds);
const providerBlock = (name: string) => emulatorProviderBlock(name, emulator.url);

beforeAll(async () => {
  lab = await startMirrorLab([OWN, PINNED]);
  ({ emulator, iam } = lab);
}, 600_000);

afterAll(async () => {
  await lab?.close();
});

const providerOf = (s: StateFile, type: string, name: string) => s.resources.find((r) => r.type === type && r.name === name)?.provider;
const attributesOf = (s: StateFile, type: string, name: string) => s.resources.find((r) => r.type === type && r.name === name)?.instances[0]?.attributes ?? {};

async function createCredential(user: string, service: string): Promise<string> {
  const created = await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: user, ServiceName: service }));
  return `${service}:${user}:${created.ServiceSpecificCredential!.ServiceSpecificCredentialId!}`;
}

describe("beside hashicorp/aws, under the provider's own address", () => {
  it("init from two mirrors, apply, empty plan, import block and terraform import with provider =, destroy", async () => {
    const user = uniqueName("side");
    const { work, tf, state } = await workspace("tf-side-by-side-", [PINNED, OWN]);
    const base = `terraform {
  backend "local" {
    path = "state/terraform.tfstate"
  }
  required_providers {
    aws    = { source = "hashicorp/aws", version = "~> 6.0" }
    awsssc = { source = "iamssc/awsssc", version = "${VERSION}" }
  }
}

${providerBlock("aws")}
${providerBlock("awsssc")}
resource "aws_iam_user" "u" {
  name = "${user}"
}

resource "aws_iam_service_specific_credential" "c" {
  provider     = awsssc
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.u.name
}
`;
    await writeFile(join(work, "main.tf"), base);
    const init = await tf(["init"]);
    expect(init.stdout).toContain("Installed hashicorp/aws v6.25.0");
    expect(init.stdout).toContain(`Installed iamssc/awsssc v${VERSION}`);
    const lock = await readFile(join(work, ".terraform.lock.hcl"), "utf8");
    expect(lock).toContain(`provider "${OFFICIAL_PROVIDER_ADDRESS}" {`);
    expect(lock).toContain(`provider "${OWN_PROVIDER_ADDRESS}" {`);

    expect((await tf(["apply", "-auto-approve"])).stdout).toContain("Apply complete! Resources: 2 added, 0 changed, 0 destroyed.");
    let s = await state();
    expect(providerOf(s, "aws_iam_user", "u")).toBe(`provider["${OFFICIAL_PROVIDER_ADDRESS}"]`);
    expect(providerOf(s, "aws_iam_service_specific_credential", "c")).toBe(`provider["${OWN_PROVIDER_ADDRESS}"]`);
    expect(String(attributesOf(s, "aws_iam_service_specific_credential", "c").service_password ?? "").length).toBeGreaterThan(10);
    expect((await tf(["plan", "-detailed-exitcode"], [0, 2])).code).toBe(0);

    // Credentials made outside Terraform, taken in by the own-address provider: one with an
    // import block, one with the command.
    const blockId = await createCredential(user, "codecommit.amazonaws.com");
    const commandId = await createCredential(user, "cassandra.amazonaws.com");
    await writeFile(
      join(work, "main.tf"),
      `${base}
import {
  provider = awsssc
  to       = aws_iam_service_specific_credential.by_block
  id       = "${blockId}"
}

resource "aws_iam_service_specific_credential" "by_block" {
  provider     = awsssc
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.u.name
}

resource "aws_iam_service_specific_credential" "by_command" {
  provider     = awsssc
  service_name = "cassandra.amazonaws.com"
  user_name    = aws_iam_user.u.name
}
`,
    );
    await tf(["import", "aws_iam_service_specific_credential.by_command", commandId]);
    const imported = await tf(["apply", "-auto-approve"]);
    expect(imported.stdout).toContain("Apply complete! Resources: 1 imported, 0 added, 0 changed, 0 destroyed.");
    s = await state();
    for (const name of ["c", "by_block", "by_command"])
      expect(providerOf(s, "aws_iam_service_specific_credential", name)).toBe(`provider["${OWN_PROVIDER_ADDRESS}"]`);
    expect(attributesOf(s, "aws_iam_service_specific_credential", "by_block").id).toBe(blockId);
    expect(attributesOf(s, "aws_iam_service_specific_credential", "by_command").id).toBe(commandId);
    expect((await tf(["plan", "-detailed-exitcode"], [0, 2])).code).toBe(0);

    await tf(["destroy", "-auto-approve"]);
    expect(emulator.state().users.map((u) => u.name)).not.toContain(user);
    expect(emulator.state().credentials.filter((c) => c.userName === user)).toEqual([]);
  }, 300_000);
});

describe("drop-in under hashicorp/aws, pinned to 6.25.0, in JSON syntax", () => {
  it("init from the mirror, apply, empty plan, import block, destroy", async () => {
    const user = uniqueName("pinned");
    const { work, tf, state } = await workspace("tf-drop-in-", [PINNED]);
    const config = (extra: Record<string, unknown> = {}) =>
      JSON.stringify(
        {
          terraform: {
            backend: { local: { path: "state/terraform.tfstate" } },
            required_providers: { aws: { source: "hashicorp/aws", version: "6.25.0" } },
          },
          provider: {
            aws: {
              region: "us-east-1",
              access_key: "test",
              secret_key: "test",
              skip_credentials_validation: true,
              skip_requesting_account_id: true,
              endpoints: { iam: emulator.url, sts: emulator.url },
            },
          },
          resource: {
            aws_iam_user: { u: { name: user } },
            aws_iam_service_specific_credential: {
              c: { service_name: "codecommit.amazonaws.com", user_name: "${aws_iam_user.u.name}" },
              ...(extra.imported ? { imported: { service_name: "codecommit.amazonaws.com", user_name: "${aws_iam_user.u.name}" } } : {}),
            },
          },
          ...(extra.imported ? { import: [{ to: "aws_iam_service_specific_credential.imported", id: extra.imported }] } : {}),
        },
        null,
        2,
      );
    await writeFile(join(work, "main.tf.json"), config());
    const init = await tf(["init"]);
    expect(init.stdout).toContain("Installed hashicorp/aws v6.25.0");
    expect(await readFile(join(work, ".terraform.lock.hcl"), "utf8")).toMatch(/version\s+= "6\.25\.0"/);

    await tf(["apply", "-auto-approve"]);
    let s = await state();
    expect(providerOf(s, "aws_iam_user", "u")).toBe(`provider["${OFFICIAL_PROVIDER_ADDRESS}"]`);
    expect(providerOf(s, "aws_iam_service_specific_credential", "c")).toBe(`provider["${OFFICIAL_PROVIDER_ADDRESS}"]`);
    expect(String(attributesOf(s, "aws_iam_service_specific_credential", "c").service_password ?? "").length).toBeGreaterThan(10);
    expect((await tf(["plan", "-detailed-exitcode"], [0, 2])).code).toBe(0);

    const id = await createCredential(user, "codecommit.amazonaws.com");
    await writeFile(join(work, "main.tf.json"), config({ imported: id }));
    expect((await tf(["apply", "-auto-approve"])).stdout).toContain("Resources: 1 imported, 0 added, 0 changed, 0 destroyed.");
    s = await state();
    expect(attributesOf(s, "aws_iam_service_specific_credential", "imported").id).toBe(id);
    expect((await tf(["plan", "-detailed-exitcode"], [0, 2])).code).toBe(0);

    await tf(["destroy", "-auto-approve"]);
    expect(emulator.state().users.map((u) => u.name)).not.toContain(user);
  }, 300_000);
});
