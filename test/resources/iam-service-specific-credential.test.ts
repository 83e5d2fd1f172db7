/**
 * aws_iam_service_specific_credential with real Terraform, against each acceptance target
 * (both emulator profiles by default; TF_ACC_IAM_ENDPOINT for LocalStack or AWS).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DeleteServiceSpecificCredentialCommand,
  UpdateServiceSpecificCredentialCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
} from "@aws-sdk/client-iam";
import type { AcceptanceTarget } from "../harness/index.ts";
import { acceptanceTargets, profileIndependent, runAcceptanceCase, uniqueName } from "../harness/index.ts";

const R = "aws_iam_service_specific_credential";
const SECRETS = ["service_password", "service_credential_secret"];

function userAndCredential(user: string, args: string, name = "test"): string {
  return `
resource "aws_iam_user" "test" {
  name = ${JSON.stringify(user)}
}

resource "${R}" "${name}" {
  user_name = aws_iam_user.test.name
${args}
}
`;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function expectNonEmptyString(value: unknown, what: string): void {
  expect(typeof value, `${what} should be a string`).toBe("string");
  expect((value as string).length, `${what} should not be empty`).toBeGreaterThan(10);
}

for (const spec of acceptanceTargets()) {
  describe(`${R} on ${spec.name}`, () => {
    // Cases marked `once` do not depend on the profile (see profileIndependent).
    const once = profileIndependent(spec);
    let target: AcceptanceTarget;
    beforeAll(async () => {
      target = await spec.start();
    });
    afterAll(async () => {
      await target?.close();
    });

    // The target is known only after beforeAll, so skip at run time: reported as skipped, with the reason.
    const skipUnless = (t: { skip: (note?: string) => never }, reason: string | undefined) => {
      if (reason) t.skip(`not on ${target.name}: ${reason}`);
    };

    it("basic: creates a codecommit password that survives refresh, and imports by both forms", async () => {
      const user = uniqueName("ssc-basic");
      const config = userAndCredential(user, `  service_name = "codecommit.amazonaws.com"`);
      await runAcceptanceCase({
        target,
        steps: [
          {
            config,
            check: (s) => {
              const v = s.resource(`${R}.test`).values;
              expect(v.service_name).toBe("codecommit.amazonaws.com");
              expect(v.user_name).toBe(user);
              expect(v.status).toBe("Active");
              expectNonEmptyString(v.service_password, "service_password");
              expect(v.service_credential_secret).toBeNull();
              expect(v.service_specific_credential_id).toMatch(/^ACCA[A-Z0-9]{17}$/);
              expect(v.id).toBe(`codecommit.amazonaws.com:${user}:${v.service_specific_credential_id as string}`);
              expect(v.service_user_name).toMatch(new RegExp(`^${user}-at-\\d{12}$`));
              expect(v.create_date).toMatch(RFC3339);
              expect(v.expiration_date).toBeNull();
              expect(v.credential_age_days).toBeNull();
            },
          },
          // The password is still there after refresh and -refresh-only (the step ran both).
          { config, check: (s) => expectNonEmptyString(s.attr(`${R}.test`, "service_password"), "service_password after refresh") },
          { import: "cli", resourceName: `${R}.test`, verifyIgnore: SECRETS, checkImported: (r) => expect(r.values.service_password).toBeNull() },
          { import: "block", resourceName: `${R}.test`, verifyIgnore: SECRETS },
        ],
      });
    });

    it("multi: two credentials for one user and service", async () => {
      const user = uniqueName("ssc-multi");
      const config = `
resource "aws_iam_user" "test" {
  name = ${JSON.stringify(user)}
}
resource "${R}" "first" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.test.name
}
resource "${R}" "second" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.test.name
}
`;
      await runAcceptanceCase({
        target,
        steps: [
          {
            config,
            check: (s) => {
              const a = s.resource(`${R}.first`).values;
              const b = s.resource(`${R}.second`).values;
              expect(a.service_specific_credential_id).not.toBe(b.service_specific_credential_id);
              expectNonEmptyString(a.service_password, "first password");
              expectNonEmptyString(b.service_password, "second password");
              expect(a.service_password).not.toBe(b.service_password);
            },
          },
          { import: "cli", resourceName: `${R}.second`, verifyIgnore: SECRETS },
        ],
      });
    });

    it("status: Inactive at create, import, Active, Inactive again, keeping the password", async () => {
      const user = uniqueName("ssc-status");
      const withStatus = (status: string) => userAndCredential(user, `  service_name = "codecommit.amazonaws.com"\n  status = "${status}"`);
      let password: unknown;
      await runAcceptanceCase({
        target,
        steps: [
          {
            config: withStatus("Inactive"),
            check: async (s, ctx) => {
              expect(s.attr(`${R}.test`, "status")).toBe("Inactive");
              password = s.attr(`${R}.test`, "service_password");
              expectNonEmptyString(password, "service_password");
              const id = s.attr(`${R}.test`, "service_specific_credential_id");
              const remote = (await ctx.target.control?.state())?.credentials.find((c) => c.id === id);
              if (remote) expect(remote.status).toBe("Inactive");
            },
          },
          { import: "cli", resourceName: `${R}.test`, verifyIgnore: SECRETS },
          {
            config: withStatus("Active"),
            check: (s) => {
              expect(s.attr(`${R}.test`, "status")).toBe("Active");
              expect(s.attr(`${R}.test`, "service_password")).toBe(password);
            },
          },
          {
            config: withStatus("Inactive"),
            check: (s) => {
              expect(s.attr(`${R}.test`, "status")).toBe("Inactive");
              expect(s.attr(`${R}.test`, "service_password")).toBe(password);
            },
          },
        ],
      });
    });

    once("disappears: a credential deleted outside Terraform is planned for creation again", async () => {
      const user = uniqueName("ssc-gone");
      const config = userAndCredential(user, `  service_name = "codecommit.amazonaws.com"`);
      await runAcceptanceCase({
        target,
        steps: [
          { config },
          {
            config,
            planOnly: true,
            expectNonEmptyPlan: true,
            preConfig: async (ctx) => {
              const s = await ctx.state();
              await ctx.target.iam().send(
                new DeleteServiceSpecificCredentialCommand({
                  UserName: user,
                  ServiceSpecificCredentialId: String(s.attr(`${R}.test`, "service_specific_credential_id")),
                }),
              );
            },
            planCheck: (plan) => expect(plan.actions(`${R}.test`)).toEqual(["create"]),
          },
          { config, check: (s) => expectNonEmptyString(s.attr(`${R}.test`, "service_password"), "new password") },
        ],
      });
    });

    once("status drift made outside Terraform is planned as an in-place fix", async () => {
      const user = uniqueName("ssc-drift");
      const config = userAndCredential(user, `  service_name = "codecommit.amazonaws.com"`);
      await runAcceptanceCase({
        target,
        steps: [
          { config },
          {
            config,
            planOnly: true,
            expectNonEmptyPlan: true,
            preConfig: async (ctx) => {
              const s = await ctx.state();
              await ctx.target.iam().send(
                new UpdateServiceSpecificCredentialCommand({
                  UserName: user,
                  ServiceSpecificCredentialId: String(s.attr(`${R}.test`, "service_specific_credential_id")),
                  Status: "Inactive",
                }),
              );
            },
            planCheck: (plan) => expect(plan.actions(`${R}.test`)).toEqual(["update"]),
          },
          { config, check: (s) => expect(s.attr(`${R}.test`, "status")).toBe("Active") },
        ],
      });
    });

    once("cassandra: a Keyspaces password", async () => {
      const user = uniqueName("ssc-cass");
      await runAcceptanceCase({
        target,
        steps: [
          {
            config: userAndCredential(user, `  service_name = "cassandra.amazonaws.com"`),
            check: (s) => {
              expectNonEmptyString(s.attr(`${R}.test`, "service_password"), "service_password");
              expect(s.attr(`${R}.test`, "service_user_name")).toMatch(/-at-\d{12}$/);
            },
          },
        ],
      });
    });

    it("bedrock with credential_age_days = 30: alias, secret, dates 30 days apart; import plans nothing", async (t) => {
      skipUnless(t, target.missing("api-keys"));
      const user = uniqueName("ssc-bedrock");
      const config = userAndCredential(user, `  service_name = "bedrock.amazonaws.com"\n  credential_age_days = 30`);
      await runAcceptanceCase({
        target,
        steps: [
          {
            config,
            check: (s) => {
              const v = s.resource(`${R}.test`).values;
              expectNonEmptyString(v.service_credential_secret, "service_credential_secret");
              expect(v.service_password).toBeNull();
              expect(typeof v.service_credential_alias).toBe("string");
              expect(v.credential_age_days).toBe(30);
              expect(v.create_date).toMatch(RFC3339);
              expect(v.expiration_date).toMatch(RFC3339);
              const days = (Date.parse(v.expiration_date as string) - Date.parse(v.create_date as string)) / 86_400_000;
              expect(days).toBe(30);
            },
          },
          // credential_age_days is recovered from the dates, so the plan after import is empty.
          { import: "block", resourceName: `${R}.test`, verifyIgnore: SECRETS },
          { import: "cli", resourceName: `${R}.test`, verifyIgnore: SECRETS },
        ],
      });
    });

    it("a third credential for the same user and service fails clearly and creates nothing", async (t) => {
      skipUnless(t, target.missing("credential-limit"));
      const user = uniqueName("ssc-limit");
      const two = `
resource "aws_iam_user" "test" {
  name = ${JSON.stringify(user)}
}
resource "${R}" "a" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.test.name
}
resource "${R}" "b" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.test.name
}
`;
      const three = `${two}
resource "${R}" "c" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.test.name
}
`;
      let ids: string[] = [];
      await runAcceptanceCase({
        target,
        steps: [
          {
            config: two,
            check: (s) => {
              ids = [String(s.attr(`${R}.a`, "service_specific_credential_id")), String(s.attr(`${R}.b`, "service_specific_credential_id"))];
            },
          },
          {
            config: three,
            expectError: /at most two codecommit\.amazonaws\.com credentials per user/,
            check: async (s, ctx) => {
              expect(s.has(`${R}.c`)).toBe(false);
              const out = (await ctx.workdir.run(["plan", "-no-color"])).stdout;
              expect(out).toContain(`${R}.c`);
              const remote = (await ctx.target.control?.state())?.credentials.filter((c) => c.userName === user) ?? [];
              if (ctx.target.control) expect(remote.map((c) => c.id).sort()).toEqual([...ids].sort());
            },
          },
          { config: two },
        ],
      });
    });

    it("the limit message names the user, the service and the existing ids", async (t) => {
      skipUnless(t, target.missing("credential-limit"));
      const user = uniqueName("ssc-limit2");
      const iam = target.iam();
      await iam.send(new CreateUserCommand({ UserName: user }));
      const existing: string[] = [];
      for (let i = 0; i < 2; i++) {
        const out = await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: user, ServiceName: "codecommit.amazonaws.com" }));
        existing.push(out.ServiceSpecificCredential!.ServiceSpecificCredentialId!);
      }
      await runAcceptanceCase({
        target,
        skipDestroy: true,
        steps: [
          {
            config: `resource "${R}" "test" {\n  service_name = "codecommit.amazonaws.com"\n  user_name = ${JSON.stringify(user)}\n}\n`,
            expectError: new RegExp(`user\\s+${user}[\\s\\S]*${existing[0]}[\\s\\S]*${existing[1]}`),
            check: (s) => expect(s.has(`${R}.test`)).toBe(false),
          },
        ],
      });
    });

    it("expiry: a key IAM reports as Expired is planned for replacement, with the reason", async (t) => {
      skipUnless(t, target.missing("api-keys", "control-api"));
      const user = uniqueName("ssc-expiry");
      const config = userAndCredential(user, `  service_name = "bedrock.amazonaws.com"\n  credential_age_days = 1`);
      let oldId: unknown;
      await runAcceptanceCase({
        target,
        steps: [
          {
            config,
            check: (s) => {
              oldId = s.attr(`${R}.test`, "service_specific_credential_id");
            },
          },
          {
            config,
            planOnly: true,
            expectNonEmptyPlan: true,
            preConfig: (ctx) => ctx.target.control!.advanceDays(2),
            planCheck: (plan) => {
              expect(plan.actions(`${R}.test`)).toEqual(["delete", "create"]);
              expect(plan.text).toMatch(/Expired credential will be replaced/);
            },
          },
          {
            config,
            check: (s) => {
              expect(s.attr(`${R}.test`, "service_specific_credential_id")).not.toBe(oldId);
              expect(s.attr(`${R}.test`, "status")).toBe("Active");
              expectNonEmptyString(s.attr(`${R}.test`, "service_credential_secret"), "new secret");
            },
          },
        ],
      });
    });

    once("a user created in the same apply that IAM does not know yet (NoSuchEntity) still gets its credential", async (t) => {
      skipUnless(t, target.missing("control-api"));
      const user = uniqueName("ssc-eventual");
      await runAcceptanceCase({
        target,
        steps: [
          {
            config: userAndCredential(user, `  service_name = "codecommit.amazonaws.com"`),
            preConfig: async (ctx) => {
              await ctx.target.control!.addFault({
                action: "CreateServiceSpecificCredential",
                code: "NoSuchEntity",
                status: 404,
                message: `The user with name ${user} cannot be found.`,
                count: 3,
              });
              await ctx.target.control!.addFault({
                action: "ListServiceSpecificCredentials",
                code: "NoSuchEntity",
                status: 404,
                message: `The user with name ${user} cannot be found.`,
                count: 2,
              });
            },
            check: async (s, ctx) => {
              expectNonEmptyString(s.attr(`${R}.test`, "service_password"), "service_password");
              // The create waited out two List refusals (its look at the user's credentials
              // before creating) and three Create refusals.
              const faults = await ctx.target.control!.faults();
              expect(faults.map((f) => f.fired).sort()).toEqual([2, 3]);
              // Two more List refusals are met by the first refresh (the plan after this
              // check), which must wait for the new credential instead of dropping it.
              await ctx.target.control!.addFault({
                action: "ListServiceSpecificCredentials",
                code: "NoSuchEntity",
                status: 404,
                message: `The user with name ${user} cannot be found.`,
                count: 2,
              });
            },
          },
          {
            config: userAndCredential(user, `  service_name = "codecommit.amazonaws.com"`),
            preConfig: async (ctx) => {
              const faults = await ctx.target.control!.faults();
              expect(faults.map((f) => f.fired).sort()).toEqual([2, 2, 3]);
              await ctx.target.control!.clearFaults();
            },
            check: (s) => expectNonEmptyString(s.attr(`${R}.test`, "service_password"), "service_password after refresh"),
          },
        ],
      });
    });

    once("a user's pair of credentials for one service is made after a single look at the user's credentials", async (t) => {
      skipUnless(t, target.missing("control-api"));
      const user = uniqueName("ssc-pair");
      const config = `${userAndCredential(user, `  service_name = "codecommit.amazonaws.com"`, "first")}
resource "${R}" "second" {
  user_name    = aws_iam_user.test.name
  service_name = "codecommit.amazonaws.com"
}
`;
      let before: Record<string, number> = {};
      await runAcceptanceCase({
        target,
        steps: [
          {
            config,
            preConfig: async (ctx) => {
              before = { ...(await ctx.target.control!.state()).calls };
            },
            check: async (s, ctx) => {
              for (const name of ["first", "second"]) expectNonEmptyString(s.attr(`${R}.${name}`, "service_password"), `${name} service_password`);
              expect(s.attr(`${R}.first`, "service_specific_credential_id")).not.toBe(s.attr(`${R}.second`, "service_specific_credential_id"));
              const calls = (await ctx.target.control!.state()).calls;
              const made = (action: string) => (calls[action] ?? 0) - (before[action] ?? 0);
              // The second create starts from what the first listed and made (create-baselines.ts).
              expect(made("CreateServiceSpecificCredential")).toBe(2);
              expect(made("ListServiceSpecificCredentials")).toBe(1);
            },
          },
        ],
      });
    });

    once("a user that never appears fails with a clear message after the propagation timeout", async () => {
      const user = uniqueName("ssc-nouser");
      await runAcceptanceCase({
        target,
        skipDestroy: true,
        steps: [
          {
            config: `resource "${R}" "test" {\n  service_name = "codecommit.amazonaws.com"\n  user_name = ${JSON.stringify(user)}\n}\n`,
            expectError: new RegExp(`IAM user not found[\\s\\S]*no user named\\s+"${user}"`),
            check: (s) => expect(s.has(`${R}.test`)).toBe(false),
          },
        ],
      });
    });

    once("Inactive at create whose status update fails: kept tainted with its secret, replaced by the next apply", async (t) => {
      skipUnless(t, target.missing("control-api"));
      const user = uniqueName("ssc-taint");
      const config = userAndCredential(user, `  service_name = "codecommit.amazonaws.com"\n  status = "Inactive"`);
      let firstId: unknown;
      await runAcceptanceCase({
        target,
        steps: [
          {
            config,
            preConfig: async (ctx) => {
              // Refused, as for a user whose policy lacks iam:UpdateServiceSpecificCredential.
              await ctx.target.control!.addFault({ action: "UpdateServiceSpecificCredential", code: "AccessDenied", status: 403, count: 1 });
            },
            expectError: /Credential created, but its status could not be set/,
            check: async (s, ctx) => {
              await ctx.target.control!.clearFaults();
              const v = s.resource(`${R}.test`).values;
              firstId = v.service_specific_credential_id;
              expectNonEmptyString(v.service_password, "password of the tainted credential");
              const show = await ctx.workdir.run(["state", "show", "-no-color", `${R}.test`]);
              expect(show.stdout).toMatch(/tainted/);
            },
          },
          {
            config,
            check: (s) => {
              expect(s.attr(`${R}.test`, "service_specific_credential_id")).not.toBe(firstId);
              expect(s.attr(`${R}.test`, "status")).toBe("Inactive");
            },
          },
        ],
      });
    });

    once("import with malformed ids fails naming the expected format, by both forms", async () => {
      const user = uniqueName("ssc-badid");
      const config = userAndCredential(user, `  service_name = "codecommit.amazonaws.com"`);
      const format = /SERVICE_NAME:USER_NAME:SERVICE_SPECIFIC_CREDENTIAL_ID/;
      await runAcceptanceCase({
        target,
        steps: [
          { config },
          { import: "cli", resourceName: `${R}.test`, importStateId: "codecommit.amazonaws.com:only-two", expectError: format },
          { import: "block", resourceName: `${R}.test`, importStateId: "a:b:c:d", expectError: format },
          { import: "cli", resourceName: `${R}.test`, importStateId: "::", expectError: format },
          {
            import: "cli",
            resourceName: `${R}.test`,
            importStateId: `codecommit.amazonaws.com:${user}:ACCADOESNOTEXIST00000`,
            expectError: /Cannot import non-existent/,
          },
        ],
      });
    });
  });
}
