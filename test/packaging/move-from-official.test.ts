// Moving from the official provider to this one with `moved` blocks, secrets included, as a user
// does it: hashicorp/aws and the own address from mirrors, `terraform init` offline, then
// plan (moves only), apply, and a plan that must be empty. Two starting points:
//   - a state made by this provider's drop-in build under hashicorp/aws (apply, then move);
//   - a state file in the official provider's exact shapes, for objects made through the IAM
//     API: a v6 user, a credential as versions before the Bedrock attributes stored it, and a
//     v6 Bedrock API key with an expiry.
// And one refusal: a `moved` block from another provider's resource type.
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateServiceSpecificCredentialCommand, CreateUserCommand, type IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.ts";
import { OFFICIAL_PROVIDER_ADDRESS, OWN_PROVIDER_ADDRESS } from "../../src/provider-address.ts";
import { uniqueName } from "../harness/index.ts";
import { officialCredential, officialStateFile, officialUser } from "../support/official-state-file.ts";
import { DEFAULT_MIRROR, PINNED_MIRROR, VERSION, emulatorProviderBlock, startMirrorLab, type MirrorLab, type StateFile } from "./support.ts";

let lab: MirrorLab;
let emulator: Emulator;
let iam: IAMClient;

beforeAll(async () => {
  lab = await startMirrorLab([DEFAULT_MIRROR, PINNED_MIRROR]);
  ({ emulator, iam } = lab);
}, 600_000);

afterAll(async () => {
  await lab?.close();
});

const workspace = (prefix: string) => lab.workspace(prefix, [PINNED_MIRROR, DEFAULT_MIRROR]);

const terraformBlock = (withOwn: boolean) => `terraform {
  backend "local" {
    path = "state/terraform.tfstate"
  }
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 6.0" }
${withOwn ? `    awsssc = { source = "iamssc/awsssc", version = "${VERSION}" }\n` : ""}  }
}

${emulatorProviderBlock("aws", emulator.url)}
${withOwn ? emulatorProviderBlock("awsssc", emulator.url) : ""}`;

/** The user, a CodeCommit password and a Bedrock key, under `name`, served by `provider` (or the default). */
const resources = (name: string, user: string, provider?: string) => {
  const route = provider ? `  provider = ${provider}\n` : "";
  return `
resource "aws_iam_user" "${name}" {
${route}  name = "${user}"
}

resource "aws_iam_service_specific_credential" "${name}_password" {
${route}  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.${name}.name
}

resource "aws_iam_service_specific_credential" "${name}_key" {
${route}  service_name        = "bedrock.amazonaws.com"
  user_name           = aws_iam_user.${name}.name
  credential_age_days = 30
}
`;
};

const moves = [
  "aws_iam_user.old:aws_iam_user.new",
  "aws_iam_service_specific_credential.old_password:aws_iam_service_specific_credential.new_password",
  "aws_iam_service_specific_credential.old_key:aws_iam_service_specific_credential.new_key",
]
  .map((pair) => pair.split(":"))
  .map(([from, to]) => `moved {\n  from = ${from}\n  to   = ${to}\n}\n`)
  .join("\n");

const find = (s: StateFile, type: string, name: string) => s.resources.find((r) => r.type === type && r.name === name);
const attrs = (s: StateFile, type: string, name: string) => find(s, type, name)?.instances[0]?.attributes ?? {};

/** Moves old → new under the own address and checks what a user cares about: nothing else planned, secrets equal, then an empty plan. */
async function moveAndCheck(w: Awaited<ReturnType<typeof workspace>>, user: string, secrets: { password: string; secret: string }) {
  await writeFile(join(w.work, "main.tf"), `${terraformBlock(true) + resources("new", user, "awsssc")}\n${moves}`);
  const init = await w.tf(["init"]);
  expect(init.stdout).toContain(`Installed iamssc/awsssc v${VERSION}`);

  const plan = await w.tf(["plan"]);
  for (const m of [
    "aws_iam_user.old has moved to aws_iam_user.new",
    "aws_iam_service_specific_credential.old_password has moved to aws_iam_service_specific_credential.new_password",
    "aws_iam_service_specific_credential.old_key has moved to aws_iam_service_specific_credential.new_key",
  ]) {
    expect(plan.stdout).toContain(m);
  }
  expect(plan.stdout).toContain("Plan: 0 to add, 0 to change, 0 to destroy.");
  expect(plan.stdout).not.toMatch(/must be replaced|will be updated in-place|will be created|will be destroyed/);

  const applied = await w.tf(["apply", "-auto-approve"]);
  expect(applied.stdout).toContain("Apply complete! Resources: 0 added, 0 changed, 0 destroyed.");
  const s = await w.state();
  expect(s.resources.map((r) => `${r.type}.${r.name} ${r.provider}`).sort()).toEqual(
    ["aws_iam_service_specific_credential.new_key", "aws_iam_service_specific_credential.new_password", "aws_iam_user.new"].map(
      (a) => `${a} provider["${OWN_PROVIDER_ADDRESS}"]`,
    ),
  );
  // Compared, never printed.
  expect(attrs(s, "aws_iam_service_specific_credential", "new_password").service_password === secrets.password, "the password changed in the move").toBe(true);
  expect(
    attrs(s, "aws_iam_service_specific_credential", "new_key").service_credential_secret === secrets.secret,
    "the API key secret changed in the move",
  ).toBe(true);
  expect(attrs(s, "aws_iam_service_specific_credential", "new_key").credential_age_days).toBe(30);

  expect((await w.tf(["plan", "-detailed-exitcode"], [0, 2])).code, "the plan after the move is not empty").toBe(0);
  // Refreshed once more from IAM, the secrets stay.
  await w.tf(["apply", "-auto-approve", "-refresh-only"]);
  const refreshed = await w.state();
  expect(attrs(refreshed, "aws_iam_service_specific_credential", "new_password").service_password === secrets.password).toBe(true);

  await w.tf(["destroy", "-auto-approve"]);
  expect(emulator.state().users.map((u) => u.name)).not.toContain(user);
  expect(emulator.state().credentials.filter((c) => c.userName === user)).toEqual([]);
}

describe("moved blocks from hashicorp/aws to the own address", () => {
  it("takes over a state this provider made under hashicorp/aws, secrets and all", async () => {
    const user = uniqueName("move-own");
    const w = await workspace("tf-move-own-");
    await writeFile(join(w.work, "main.tf"), terraformBlock(false) + resources("old", user));
    await w.tf(["init"]);
    await w.tf(["apply", "-auto-approve"]);
    const before = await w.state();
    expect(find(before, "aws_iam_user", "old")?.provider).toBe(`provider["${OFFICIAL_PROVIDER_ADDRESS}"]`);
    const password = String(attrs(before, "aws_iam_service_specific_credential", "old_password").service_password ?? "");
    const secret = String(attrs(before, "aws_iam_service_specific_credential", "old_key").service_credential_secret ?? "");
    expect(password.length).toBeGreaterThan(10);
    expect(secret.length).toBeGreaterThan(10);
    await moveAndCheck(w, user, { password, secret });
  }, 300_000);

  it("takes over the official provider's state file (v6 user, pre-Bedrock password, v6 API key), secrets and all", async () => {
    const user = uniqueName("move-official");
    const created = (await iam.send(new CreateUserCommand({ UserName: user }))).User!;
    const password = (await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: user, ServiceName: "codecommit.amazonaws.com" })))
      .ServiceSpecificCredential!;
    const key = (await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: user, ServiceName: "bedrock.amazonaws.com", CredentialAgeDays: 30 })))
      .ServiceSpecificCredential!;
    expect(password.ServicePassword!.length).toBeGreaterThan(10);
    expect(key.ServiceCredentialSecret!.length).toBeGreaterThan(10);

    const w = await workspace("tf-move-official-");
    await mkdir(join(w.work, "state"));
    await writeFile(
      w.statePath,
      officialStateFile([
        officialUser("old", created),
        officialCredential("old_password", password, { preBedrock: true, dependsOn: "aws_iam_user.old" }),
        officialCredential("old_key", key, { ageDays: 30, dependsOn: "aws_iam_user.old" }),
      ]),
    );
    await moveAndCheck(w, user, { password: password.ServicePassword!, secret: key.ServiceCredentialSecret! });
  }, 300_000);

  it("refuses a moved block whose source is another resource type, and changes nothing", async () => {
    const user = uniqueName("move-refused");
    const w = await workspace("tf-move-refused-");
    await writeFile(join(w.work, "main.tf"), `${terraformBlock(false)}\nresource "aws_iam_user" "old" {\n  name = "${user}"\n}\n`);
    await w.tf(["init"]);
    await w.tf(["apply", "-auto-approve"]);
    const before = await readFile(w.statePath, "utf8");
    await writeFile(
      join(w.work, "main.tf"),
      `${terraformBlock(true)}\nresource "aws_iam_service_specific_credential" "new" {\n  provider     = awsssc\n  service_name = "codecommit.amazonaws.com"\n  user_name    = "${user}"\n}\n\nmoved {\n  from = aws_iam_user.old\n  to   = aws_iam_service_specific_credential.new\n}\n`,
    );
    await w.tf(["init"]);
    const plan = await w.tf(["plan"], [1]);
    expect(plan.stderr).toContain("Cannot move from this resource type");
    expect(plan.stderr.replace(/\s+│?\s*/g, " ")).toContain(
      'A moved block can bring "aws_iam_user" of registry.terraform.io/hashicorp/aws into aws_iam_service_specific_credential',
    );
    expect(await readFile(w.statePath, "utf8")).toBe(before);
    expect(emulator.state().credentials.filter((c) => c.userName === user)).toEqual([]);
    await writeFile(join(w.work, "main.tf"), `${terraformBlock(false)}\nresource "aws_iam_user" "old" {\n  name = "${user}"\n}\n`);
    await w.tf(["destroy", "-auto-approve"]);
  }, 300_000);
});
