/**
 * aws_iam_service_specific_credential arguments that cannot work are refused before anything
 * is created, each diagnostic pointing at its attribute; values known only during the apply
 * are checked then, without false errors at plan time; a service name the provider does not
 * know is a plan-time warning and, when IAM refuses it, a clear apply error.
 */
import { GetUserCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AcceptanceTarget } from "../harness/index.ts";
import { TerraformWorkingDir, acceptanceTargets, profileIndependent, runAcceptanceCase, uniqueName } from "../harness/index.ts";

// Several Terraform commands per case, on a machine other suites share: more than the default 60 s.
const CASE_TIMEOUT_MS = 180_000;

const R = "aws_iam_service_specific_credential";
const SERVICES = ["codecommit.amazonaws.com", "cassandra.amazonaws.com", "bedrock.amazonaws.com", "logs.amazonaws.com"];

interface JsonDiagnostic {
  severity: "error" | "warning";
  summary: string;
  detail: string;
  snippet?: { context: string | null; code: string };
}

/** One invalid argument per resource, and what the diagnostic for it must say. */
const INVALID: { name: string; args: string; attribute: string; message: RegExp }[] = [
  { name: "expired", args: `service_name = "bedrock.amazonaws.com"\n  status = "Expired"`, attribute: "status", message: /Expired[\s\S]*cannot be set/ },
  {
    name: "enabled",
    args: `service_name = "codecommit.amazonaws.com"\n  status = "Enabled"`,
    attribute: "status",
    message: /"Enabled" is not allowed here; expected one of "Active", "Inactive"/,
  },
  {
    name: "age_zero",
    args: `service_name = "bedrock.amazonaws.com"\n  credential_age_days = 0`,
    attribute: "credential_age_days",
    message: /whole number from 1 to 36600, got 0/,
  },
  {
    name: "age_too_big",
    args: `service_name = "logs.amazonaws.com"\n  credential_age_days = 36601`,
    attribute: "credential_age_days",
    message: /whole number from 1 to 36600, got 36601/,
  },
  {
    name: "age_fraction",
    args: `service_name = "bedrock.amazonaws.com"\n  credential_age_days = 1.5`,
    attribute: "credential_age_days",
    message: /whole number from 1 to 36600, got 1\.5/,
  },
  {
    name: "age_codecommit",
    args: `service_name = "codecommit.amazonaws.com"\n  credential_age_days = 30`,
    attribute: "credential_age_days",
    message: /credential_age_days does not apply[\s\S]*only for API keys/,
  },
  {
    name: "age_cassandra",
    args: `service_name = "cassandra.amazonaws.com"\n  credential_age_days = 30`,
    attribute: "credential_age_days",
    message: /credential_age_days does not apply[\s\S]*only for API keys/,
  },
  {
    name: "long_user",
    args: `service_name = "codecommit.amazonaws.com"\n  user_name = "${"u".repeat(65)}"`,
    attribute: "user_name",
    message: /1 to 64 characters long, got 65/,
  },
  {
    name: "bad_user",
    args: `service_name = "codecommit.amazonaws.com"\n  user_name = "jane doe/admin"`,
    attribute: "user_name",
    message: /"jane doe\/admin" is not a valid IAM user name/,
  },
];

for (const spec of acceptanceTargets()) {
  describe(`${R} validation on ${spec.name}`, () => {
    // Cases marked `once` do not depend on the profile (see profileIndependent).
    const once = profileIndependent(spec);
    let target: AcceptanceTarget;
    beforeAll(async () => {
      target = await spec.start();
    });
    afterAll(async () => {
      await target?.close();
    });

    const nothingFor = async (user: string) => {
      const state = await target.control?.state();
      if (state) {
        expect(state.users.filter((u) => u.name === user)).toEqual([]);
        expect(state.credentials.filter((c) => c.userName === user)).toEqual([]);
        return;
      }
      // A target without the emulator's control API is asked through IAM itself: no such user
      // (so no credential of it either).
      const found = await target
        .iam()
        .send(new GetUserCommand({ UserName: user }))
        .then(
          () => "exists",
          (err: Error) => err.name,
        );
      expect(found).toBe("NoSuchEntity");
    };

    once(
      "each invalid argument fails validate and apply, pointing at its attribute, and nothing is created",
      async () => {
        const user = uniqueName("val-user");
        const resources = INVALID.map(
          (c) => `resource "${R}" "${c.name}" {\n  ${c.args.includes("user_name") ? c.args : `user_name = aws_iam_user.test.name\n  ${c.args}`}\n}\n`,
        );
        // Valid neighbours must not draw errors: an explicit Inactive, a bedrock key of the longest age.
        const config = `resource "aws_iam_user" "test" {\n  name = "${user}"\n}\n
resource "${R}" "fine_inactive" {
  service_name = "cassandra.amazonaws.com"
  user_name    = aws_iam_user.test.name
  status       = "Inactive"
}
resource "${R}" "fine_age" {
  service_name        = "bedrock.amazonaws.com"
  user_name           = aws_iam_user.test.name
  credential_age_days = 36600
}
${resources.join("\n")}`;
        const workdir = await TerraformWorkingDir.create({ env: target.env, reattach: true, providerPool: target.providerPool });
        try {
          await workdir.writeConfig(config);
          const validated = await workdir.run(["validate", "-json", "-no-color"]);
          expect(validated.code, validated.stderr).toBe(1);
          const diagnostics = (JSON.parse(validated.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
          const errors = diagnostics.filter((d) => d.severity === "error");
          for (const c of INVALID) {
            const mine = errors.filter((d) => d.snippet?.context === `resource "${R}" "${c.name}"`);
            expect(mine, `diagnostics for ${c.name}`).toHaveLength(1);
            // The diagnostic points at the attribute's line in the configuration.
            expect(mine[0]!.snippet!.code.trim(), `line ${c.name} points at`).toMatch(new RegExp(`^${c.attribute}\\s*=`));
            expect(`${mine[0]!.summary}: ${mine[0]!.detail}`, c.name).toMatch(c.message);
          }
          expect(errors, "one error per invalid resource, none for the valid ones").toHaveLength(INVALID.length);

          // The same errors stop plan and apply before anything exists.
          const applied = await workdir.run(["apply", "-auto-approve", "-no-color"]);
          expect(applied.code).toBe(1);
          expect(applied.stdout + applied.stderr).toMatch(/cannot\s+be\s+set/);
          expect(applied.stdout).not.toMatch(/Creation complete/);
          await nothingFor(user);
        } finally {
          await workdir.cleanup();
        }
      },
      CASE_TIMEOUT_MS,
    );

    once(
      "values known only at apply are checked then: no false errors at plan, a clear error for a bad one",
      async () => {
        const user = uniqueName("val-late");
        const good = `
resource "aws_iam_user" "test" {
  name = "${user}"
}
resource "terraform_data" "status" {
  input = "Inactive"
}
resource "terraform_data" "user" {
  input = aws_iam_user.test.name
}
resource "${R}" "late" {
  service_name = "codecommit.amazonaws.com"
  user_name    = terraform_data.user.output
  status       = terraform_data.status.output
}
`;
        const bad = `${good}
resource "terraform_data" "expired" {
  input = "Expired"
}
resource "${R}" "late_bad" {
  service_name = "cassandra.amazonaws.com"
  user_name    = terraform_data.user.output
  status       = terraform_data.expired.output
}
`;
        await runAcceptanceCase({
          target,
          steps: [
            {
              // The good values (status, user_name) are unknown at plan and right at apply; the
              // bad one is unknown at plan too, and refused once known.
              config: bad,
              preConfig: async (ctx) => {
                const plan = await ctx.workdir.run(["plan", "-no-color"]);
                expect(plan.code, `values unknown at plan are not errors yet\n${plan.stdout}${plan.stderr}`).toBe(0);
                expect(plan.stdout).toMatch(/status\s+= \(known after apply\)/);
                expect(plan.stdout).toMatch(/user_name\s+= \(known after apply\)/);
              },
              expectError:
                /Invalid attribute value[\s\S]*with aws_iam_service_specific_credential\.late_bad[\s\S]*status\s+= terraform_data\.expired\.output[\s\S]*cannot\s+be\s+set/,
              check: async (s, ctx) => {
                expect(s.attr(`${R}.late`, "status")).toBe("Inactive");
                expect(s.attr(`${R}.late`, "user_name")).toBe(user);
                expect((s.attr(`${R}.late`, "service_password") as string).length).toBeGreaterThan(10);
                expect(s.has(`${R}.late_bad`)).toBe(false);
                const state = await ctx.target.control?.state();
                if (state) expect(state.credentials.filter((c) => c.userName === user).map((c) => c.serviceName)).toEqual(["codecommit.amazonaws.com"]);
              },
            },
            // Now that the bad value is known even destroy refuses the configuration: fix it.
            { config: good, check: (s) => expect(s.attr(`${R}.late`, "status")).toBe("Inactive") },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );

    it(
      "an unknown service name is a plan-time warning listing the four services, then IAM's refusal is a clear error",
      async () => {
        const user = uniqueName("val-svc");
        const config = `
resource "aws_iam_user" "test" {
  name = "${user}"
}
resource "${R}" "test" {
  service_name = "example.amazonaws.com"
  user_name    = aws_iam_user.test.name
}
`;
        await runAcceptanceCase({
          target,
          steps: [
            {
              config,
              planOnly: true,
              expectNonEmptyPlan: true,
              planCheck: (plan) => {
                expect(plan.text).toMatch(/Warning: Service name not known to this provider/);
                expect(plan.text).toMatch(/with aws_iam_service_specific_credential\.test/);
                for (const s of SERVICES) expect(plan.text).toContain(s);
                expect(plan.actions(`${R}.test`)).toEqual(["create"]);
              },
            },
            {
              config,
              expectError: /Error: Service not supported for service-specific credentials[\s\S]*"example\.amazonaws\.com"/,
              check: async (s, ctx) => {
                expect(s.has(`${R}.test`)).toBe(false);
                const state = await ctx.target.control?.state();
                if (state) expect(state.credentials.filter((c) => c.userName === user)).toEqual([]);
              },
            },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );
  });
}
