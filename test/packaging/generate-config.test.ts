// examples/import-block with `terraform plan -generate-config-out`: Terraform writes the resource
// block of an existing credential, the result validates, and plans (and applies) with no change.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateServiceSpecificCredentialCommand, CreateUserCommand, DeleteUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.ts";
import { TerraformWorkingDir, uniqueName, type PlanJson } from "../harness/index.ts";
import { REPO_ROOT } from "../support/dist.ts";

const EXAMPLE_ID = "codecommit.amazonaws.com:example:ACCAEXAMPLE123EXAMPLE";
let emulator: Emulator;
let iam: IAMClient;

beforeAll(async () => {
  emulator = await startEmulator();
  iam = new IAMClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
});

afterAll(async () => {
  iam?.destroy();
  await emulator?.close();
});

const cases = [
  { service: "codecommit.amazonaws.com", age: undefined },
  { service: "bedrock.amazonaws.com", age: 30 },
] as const;

describe("import block with -generate-config-out", () => {
  for (const { service, age } of cases) {
    it(`${service}${age ? ` (credential_age_days = ${age})` : ""}: generated configuration validates and plans no change`, async () => {
      const user = uniqueName("genconf");
      await iam.send(new CreateUserCommand({ UserName: user }));
      const created = await iam.send(
        new CreateServiceSpecificCredentialCommand({ UserName: user, ServiceName: service, ...(age ? { CredentialAgeDays: age } : {}) }),
      );
      const id = `${service}:${user}:${created.ServiceSpecificCredential!.ServiceSpecificCredentialId!}`;

      const example = await readFile(join(REPO_ROOT, "examples/import-block/main.tf"), "utf8");
      expect(example).toContain(EXAMPLE_ID);
      const wd = await TerraformWorkingDir.create({
        env: { AWS_ENDPOINT_URL: emulator.url, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
      });
      try {
        await wd.writeConfig(example.replace(EXAMPLE_ID, id));
        const generating = await wd.ok(["plan", "-generate-config-out=generated.tf", "-no-color"]);
        expect(generating.stdout).toContain("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.");

        const generated = await readFile(join(wd.dir, "generated.tf"), "utf8");
        expect(generated).toContain('resource "aws_iam_service_specific_credential" "example" {');
        expect(generated).toMatch(new RegExp(`^\\s+service_name\\s+= "${service.replace(/\./g, "\\.")}"$`, "m"));
        expect(generated).toMatch(new RegExp(`^\\s+user_name\\s+= "${user}"$`, "m"));
        expect(generated).toMatch(/^\s+status\s+= "Active"$/m);
        if (age) expect(generated).toMatch(new RegExp(`^\\s+credential_age_days\\s+= ${age}$`, "m"));
        // Computed-only attributes are not configuration.
        for (const computed of ["service_password", "service_credential_secret", "create_date", "service_specific_credential_id", "id "]) {
          expect(generated).not.toContain(`  ${computed}`);
        }

        await wd.ok(["validate", "-no-color"]);
        // With the generated block in place, the import changes nothing: no update, no replacement.
        // (-detailed-exitcode counts the pending import itself as a change: 2.)
        const plan = await wd.ok(["plan", "-no-color", "-out=import.tfplan"]);
        expect(plan.stdout).toContain("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.");
        const planJson = JSON.parse((await wd.ok(["show", "-json", "import.tfplan"])).stdout) as PlanJson;
        expect(planJson.resource_changes?.map((c) => [c.address, c.change.actions, c.change.importing?.id])).toEqual([
          ["aws_iam_service_specific_credential.example", ["no-op"], id],
        ]);

        const applied = await wd.ok(["apply", "-auto-approve", "-no-color", "import.tfplan"]);
        expect(applied.stdout).toContain("Apply complete! Resources: 1 imported, 0 added, 0 changed, 0 destroyed.");
        const after = await wd.run(["plan", "-detailed-exitcode", "-no-color"]);
        expect(after.code, after.stdout + after.stderr).toBe(0);
        const state = await wd.showState();
        const imported = state.values?.root_module?.resources?.[0]?.values ?? {};
        expect(imported.id).toBe(id);
        expect(imported.service_password ?? null).toBeNull();
        await wd.ok(["destroy", "-auto-approve", "-no-color"]);
        expect(emulator.state().credentials.filter((c) => c.userName === user)).toEqual([]);
      } finally {
        await wd.cleanup();
        await iam.send(new DeleteUserCommand({ UserName: user })).catch(() => {});
      }
    }, 180_000);
  }
});
