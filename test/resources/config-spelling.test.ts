/**
 * With real Terraform (issue 13): a user name spelled with other capitals than IAM stores it
 * applies once and then plans nothing, for the credential and for aws_iam_user; and computed-only
 * attributes set in the configuration are refused at validate, pointing at their line.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateUserCommand, GetUserCommand, ListServiceSpecificCredentialsCommand } from "@aws-sdk/client-iam";
import type { AcceptanceTarget } from "../harness/index.ts";
import { TerraformWorkingDir, acceptanceTargets, profileIndependent, runAcceptanceCase, uniqueName } from "../harness/index.ts";

// Several Terraform commands per case, on a machine other suites share: more than the default 60 s.
const CASE_TIMEOUT_MS = 240_000;
const R = "aws_iam_service_specific_credential";

interface JsonDiagnostic {
  severity: "error" | "warning";
  summary: string;
  detail: string;
  snippet?: { context: string | null; code: string };
}

// Real LocalStack (moto) keys users by their exact spelling, so a differently capitalised name
// is another, missing user there.
const caseInsensitive = (target: AcceptanceTarget) => (target.name === "localstack" ? "LocalStack matches IAM user names case-sensitively" : undefined);

for (const spec of acceptanceTargets()) {
  describe(`user names in other capitals and read-only arguments on ${spec.name}`, () => {
    // Cases marked `once` do not depend on the profile (see profileIndependent).
    const once = profileIndependent(spec);
    let target: AcceptanceTarget;
    beforeAll(async () => {
      target = await spec.start();
    });
    afterAll(async () => {
      await target?.close();
    });

    it(
      "a credential whose user_name differs from the IAM user only in case applies once, keeps the configured spelling, and plans nothing after",
      async (t) => {
        const reason = caseInsensitive(target);
        if (reason) t.skip(reason);
        const stored = uniqueName("case-user");
        const spelled = stored.toUpperCase();
        const config = `resource "aws_iam_user" "test" {
  name          = "${stored}"
  force_destroy = true
}
resource "${R}" "test" {
  service_name = "codecommit.amazonaws.com"
  user_name    = "${spelled}"
  depends_on   = [aws_iam_user.test]
}
`;
        let credentialId: unknown;
        await runAcceptanceCase({
          target,
          steps: [
            {
              // The harness then requires an empty plan, refreshes, and requires one again.
              config,
              check: async (s, ctx) => {
                const v = s.resource(`${R}.test`).values;
                credentialId = v.service_specific_credential_id;
                expect(v.user_name).toBe(spelled);
                expect(v.id).toBe(`codecommit.amazonaws.com:${spelled}:${String(credentialId)}`);
                expect(String(v.service_password ?? "")).not.toBe("");
                const listed = await ctx.target
                  .iam()
                  .send(new ListServiceSpecificCredentialsCommand({ UserName: stored, ServiceName: "codecommit.amazonaws.com" }));
                // IAM itself answers with its own spelling: one credential, of the one user.
                expect(listed.ServiceSpecificCredentials?.map((c) => [c.UserName, c.ServiceSpecificCredentialId])).toEqual([[stored, credentialId]]);
              },
            },
            { import: "cli", resourceName: `${R}.test`, verifyIgnore: ["service_password"] },
            {
              // An import id in IAM's spelling: the plan updates the spelling in place (no replacement),
              // so the imported object is the applied one and the plan after it is empty.
              import: "block",
              resourceName: `${R}.test`,
              importStateId: (s) => `codecommit.amazonaws.com:${stored}:${String(s.attr(`${R}.test`, "service_specific_credential_id"))}`,
              verifyIgnore: ["service_password"],
            },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );

    it(
      "aws_iam_user imported by a differently capitalised name keeps it: no rename, no diff, and its credential follows",
      async (t) => {
        const reason = caseInsensitive(target);
        if (reason) t.skip(reason);
        const stored = `Mixed-${uniqueName("case-import")}`;
        const spelled = stored.toLowerCase();
        const config = `import {
  to = aws_iam_user.test
  id = "${spelled}"
}
resource "aws_iam_user" "test" {
  name          = "${spelled}"
  force_destroy = true
}
resource "${R}" "test" {
  service_name = "cassandra.amazonaws.com"
  user_name    = aws_iam_user.test.name
}
`;
        await runAcceptanceCase({
          target,
          steps: [
            {
              preConfig: async (ctx) => {
                await ctx.target.iam().send(new CreateUserCommand({ UserName: stored }));
              },
              config,
              check: async (s, ctx) => {
                expect(s.attr("aws_iam_user.test", "name")).toBe(spelled);
                expect(s.attr("aws_iam_user.test", "id")).toBe(spelled);
                expect(s.attr(`${R}.test`, "user_name")).toBe(spelled);
                // Terraform renamed nothing: IAM still has the user under its own spelling.
                const got = await ctx.target.iam().send(new GetUserCommand({ UserName: spelled }));
                expect(got.User?.UserName).toBe(stored);
              },
            },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );

    once(
      "computed-only arguments (id; tags_all) are refused at validate, each pointing at its line, and nothing is created",
      async () => {
        const user = uniqueName("ro-user");
        const config = `resource "aws_iam_user" "test" {
  name     = "${user}"
  id       = "${user}"
  tags_all = { Team = "x" }
}
# No reference to the user: Terraform validates nothing downstream of an invalid resource.
resource "${R}" "test" {
  service_name = "codecommit.amazonaws.com"
  user_name    = "${user}"
  id           = "x"
}
`;
        const workdir = await TerraformWorkingDir.create({ env: target.env, reattach: true, providerPool: target.providerPool });
        try {
          await workdir.writeConfig(config);
          const validated = await workdir.run(["validate", "-json", "-no-color"]);
          expect(validated.code, validated.stdout + validated.stderr).toBe(1);
          const errors = (JSON.parse(validated.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics.filter((d) => d.severity === "error");
          const at = (context: string, attribute: string) =>
            errors.filter((d) => d.snippet?.context === context && new RegExp(`^${attribute}\\s*=`).test(d.snippet.code.trim()));
          for (const [context, attribute] of [
            [`resource "aws_iam_user" "test"`, "id"],
            [`resource "aws_iam_user" "test"`, "tags_all"],
            [`resource "${R}" "test"`, "id"],
          ] as const) {
            const mine = at(context, attribute);
            expect(mine, `${context} ${attribute}\n${validated.stdout}`).toHaveLength(1);
            expect(mine[0]!.summary).toBe("Invalid configuration for read-only attribute");
            expect(mine[0]!.detail).toMatch(new RegExp(`^${attribute} is set by the provider and cannot be configured`));
          }
          expect(errors).toHaveLength(3);

          const applied = await workdir.run(["apply", "-auto-approve", "-no-color"]);
          expect(applied.code).toBe(1);
          expect(applied.stdout).not.toMatch(/Creation complete/);
          const state = await target.control?.state();
          if (state) expect(state.users.filter((u) => u.name === user)).toEqual([]);
        } finally {
          await workdir.cleanup();
        }
      },
      CASE_TIMEOUT_MS,
    );
  });
}
