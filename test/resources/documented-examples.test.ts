/**
 * The examples of the resource's documentation, exactly as they are in `examples/`: they have
 * no provider block, so the target's environment (AWS_ENDPOINT_URL, region, keys) configures
 * the provider, as it would for a reader who copies them.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AcceptanceTarget } from "../harness/index.ts";
import { REPO_ROOT, acceptanceTargets, runAcceptanceCase } from "../harness/index.ts";

// Several Terraform commands per case, on a machine other suites share: more than the default 60 s.
const CASE_TIMEOUT_MS = 120_000;

const example = (dir: string) => readFile(join(REPO_ROOT, "examples", dir, "main.tf"), "utf8");

function expectSecret(value: unknown, what: string): void {
  expect(typeof value, `${what} should be a string`).toBe("string");
  expect((value as string).length, `${what} should not be empty`).toBeGreaterThan(10);
}

for (const spec of acceptanceTargets()) {
  describe(`documented examples on ${spec.name}`, () => {
    let target: AcceptanceTarget;
    beforeAll(async () => {
      target = await spec.start();
    });
    afterAll(async () => {
      await target?.close();
    });

    // Both examples name their user "example"; the cases run one after the other and each
    // destroy removes it (the harness checks that through the API).
    it(
      "examples/codecommit-credential: a CodeCommit password for a new user",
      async () => {
        const config = await example("codecommit-credential");
        await runAcceptanceCase({
          target,
          // The examples run as a user runs them: Terraform starts the provider for every command.
          providerPerCommand: true,
          steps: [
            {
              config,
              check: (s) => {
                expect(s.attr("aws_iam_user.example", "name")).toBe("example");
                const v = s.resource("aws_iam_service_specific_credential.example").values;
                expect(v.user_name).toBe("example");
                expect(v.status).toBe("Active");
                expectSecret(v.service_password, "service_password");
                expect(v.service_user_name).toMatch(/^example-at-\d{12}$/);
              },
            },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );

    it(
      "examples/bedrock-api-key: a Bedrock API key that expires after 30 days",
      async (t) => {
        const reason = target.missing("api-keys");
        if (reason) t.skip(reason);
        const config = await example("bedrock-api-key");
        await runAcceptanceCase({
          target,
          // The examples run as a user runs them: Terraform starts the provider for every command.
          providerPerCommand: true,
          steps: [
            {
              config,
              check: (s) => {
                const v = s.resource("aws_iam_service_specific_credential.bedrock").values;
                expect(v.user_name).toBe("example");
                expectSecret(v.service_credential_secret, "service_credential_secret");
                expect(typeof v.service_credential_alias).toBe("string");
                expect(v.credential_age_days).toBe(30);
                expect((Date.parse(v.expiration_date as string) - Date.parse(v.create_date as string)) / 86_400_000).toBe(30);
              },
            },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );
  });
}
