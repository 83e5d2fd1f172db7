/**
 * Drop-in mode reads a state file the official provider wrote. The test makes a user and a
 * CodeCommit credential through the IAM API, writes the state file as hashicorp/aws (SDKv2)
 * would have (empty strings for what IAM did not return, empty tags, its private metadata),
 * and points Terraform at dist/ for registry.terraform.io/hashicorp/aws: the plan is empty and
 * the password in state stays the one IAM returned at creation.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateServiceSpecificCredentialCommand, CreateUserCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AcceptanceTarget } from "../harness/index.ts";
import { TerraformWorkingDir, acceptanceTargets, assertNothingLeft, uniqueName } from "../harness/index.ts";
import { officialCredential, officialStateFile, officialUser } from "../support/official-state-file.ts";

const CASE_TIMEOUT_MS = 180_000;

interface StateFile {
  resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
}

const spec = acceptanceTargets()[0]!;

describe(`a state file of the official provider, read in drop-in mode, on ${spec.name}`, () => {
  let target: AcceptanceTarget;
  beforeAll(async () => {
    target = await spec.start();
  });
  afterAll(async () => {
    await target?.close();
  });

  it(
    "plans no change and keeps the password IAM returned at creation",
    async () => {
      const userName = uniqueName("moved");
      const iam = target.iam();
      const user = (await iam.send(new CreateUserCommand({ UserName: userName }))).User!;
      const created = (await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: userName, ServiceName: "codecommit.amazonaws.com" })))
        .ServiceSpecificCredential!;
      const password = created.ServicePassword!;
      expect(password.length).toBeGreaterThan(10);

      const workdir = await TerraformWorkingDir.create({ env: target.env, reattach: true, providerPool: target.providerPool });
      try {
        await workdir.writeConfig(
          `resource "aws_iam_user" "example" {\n  name = ${JSON.stringify(userName)}\n}\n\n` +
            `resource "aws_iam_service_specific_credential" "example" {\n  service_name = "codecommit.amazonaws.com"\n  user_name    = aws_iam_user.example.name\n}\n`,
        );
        const state = officialStateFile([officialUser("example", user), officialCredential("example", created, { dependsOn: "aws_iam_user.example" })]);
        await writeFile(join(workdir.dir, "terraform.tfstate"), state);

        // 0: no changes (2 would be changes, 1 an error).
        const plan = await workdir.run(["plan", "-no-color", "-detailed-exitcode"]);
        expect(plan.code, `plan should be empty:\n${plan.stdout}\n${plan.stderr}`).toBe(0);

        // An apply with nothing to do stores the upgraded, refreshed state.
        await workdir.ok(["apply", "-no-color", "-auto-approve"]);
        const written = JSON.parse(await readFile(join(workdir.dir, "terraform.tfstate"), "utf8")) as StateFile;
        const attrs = (type: string) => written.resources.find((r) => r.type === type)!.instances[0]!.attributes;
        const credential = attrs("aws_iam_service_specific_credential");
        expect(credential.service_password === password, "service_password in state is not the one IAM returned at creation").toBe(true);
        expect(credential.service_credential_alias).toBeNull();
        expect(credential.service_credential_secret).toBeNull();
        expect(attrs("aws_iam_user").permissions_boundary).toBeNull();
        expect(attrs("aws_iam_user").tags).toBeNull();

        const again = await workdir.run(["plan", "-no-color", "-detailed-exitcode"]);
        expect(again.code, `second plan should be empty:\n${again.stdout}\n${again.stderr}`).toBe(0);

        await workdir.ok(["destroy", "-no-color", "-auto-approve"]);
        await assertNothingLeft(target, [
          { type: "aws_iam_user", values: { name: userName } },
          { type: "aws_iam_service_specific_credential", values: credential },
        ]);
      } finally {
        await workdir.cleanup();
      }
    },
    CASE_TIMEOUT_MS,
  );
});
