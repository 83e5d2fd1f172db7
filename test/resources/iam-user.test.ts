/**
 * aws_iam_user with real Terraform, against each acceptance target: what the documented
 * examples and a user managing credentials rely on — create with path and tags, default_tags,
 * rename in place, path and permissions-boundary changes, import, force_destroy, drift.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteUserCommand,
  GetUserCommand,
  ListServiceSpecificCredentialsCommand,
  ListUserTagsCommand,
} from "@aws-sdk/client-iam";
import type { AcceptanceTarget } from "../harness/index.ts";
import { acceptanceTargets, profileIndependent, runAcceptanceCase, uniqueName } from "../harness/index.ts";

// Several Terraform commands per case, on a machine other suites share: more than the default 60 s.
const CASE_TIMEOUT_MS = 240_000;

const U = "aws_iam_user.test";
const C = "aws_iam_service_specific_credential.test";
const BOUNDARY = "arn:aws:iam::aws:policy/PowerUserAccess";

function user(name: string, extra = ""): string {
  return `resource "aws_iam_user" "test" {\n  name = ${JSON.stringify(name)}\n${extra}}\n`;
}

async function remoteTags(target: AcceptanceTarget, name: string): Promise<Record<string, string>> {
  const out = await target.iam().send(new ListUserTagsCommand({ UserName: name }));
  return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key, t.Value]));
}

async function userExists(target: AcceptanceTarget, name: string): Promise<boolean> {
  try {
    await target.iam().send(new GetUserCommand({ UserName: name }));
    return true;
  } catch (err) {
    if ((err as Error).name === "NoSuchEntityException") return false;
    throw err;
  }
}

for (const spec of acceptanceTargets()) {
  describe(`aws_iam_user on ${spec.name}`, () => {
    // Cases marked `once` do not depend on the profile (see profileIndependent).
    const once = profileIndependent(spec);
    let target: AcceptanceTarget;
    beforeAll(async () => {
      target = await spec.start();
    });
    afterAll(async () => {
      await target?.close();
    });

    once(
      "creates with path and tags, merges default_tags into tags_all, imports by name in both forms, changes tags in place",
      async () => {
        const name = uniqueName("user-basic");
        const withTags = (defaults: string, extra: string) => `
provider "aws" {
  default_tags {
    tags = ${defaults}
  }
}
${user(name, extra)}`;
        const config = withTags(
          `{\n      Team  = "platform"\n      Owner = "default-owner"\n    }`,
          `  path = "/engineering/"\n  tags = {\n    Project = "ssc"\n    Owner   = "alice"\n  }\n`,
        );
        let uniqueId: unknown;
        await runAcceptanceCase({
          target,
          steps: [
            {
              config,
              check: async (s, ctx) => {
                const v = s.resource(U).values;
                uniqueId = v.unique_id;
                expect(v.id).toBe(name);
                expect(v.name).toBe(name);
                expect(v.path).toBe("/engineering/");
                expect(v.arn).toBe(`arn:aws:iam::123456789012:user/engineering/${name}`);
                expect(v.unique_id).toMatch(/^AIDA[A-Z0-9]{17}$/);
                expect(v.force_destroy).toBe(false);
                expect(v.permissions_boundary).toBeNull();
                expect(v.tags).toEqual({ Project: "ssc", Owner: "alice" });
                // The resource's own tag wins over the provider's default for the same key.
                expect(v.tags_all).toEqual({ Project: "ssc", Owner: "alice", Team: "platform" });
                expect(await remoteTags(ctx.target, name)).toEqual({ Project: "ssc", Owner: "alice", Team: "platform" });
              },
            },
            { import: "cli", resourceName: U, importStateId: name, verifyIgnore: ["force_destroy"] },
            { import: "block", resourceName: U, importStateId: name, verifyIgnore: ["force_destroy"] },
            { import: "cli", resourceName: U, importStateId: `${name}-missing`, expectError: /Cannot import non-existent IAM user/ },
            { import: "cli", resourceName: U, importStateId: "not/a/name", expectError: /Invalid import id[\s\S]*expected the user's name/ },
            {
              // Defaults change and a key moves from the defaults to the resource: all in place.
              config: withTags(`{ Env = "prod", Team = "platform" }`, `  path = "/engineering/"\n  tags = { App = "git", Team = "git-team" }\n`),
              check: async (s, ctx) => {
                expect(s.attr(U, "unique_id")).toBe(uniqueId);
                expect(s.attr(U, "tags")).toEqual({ App: "git", Team: "git-team" });
                expect(s.attr(U, "tags_all")).toEqual({ Env: "prod", App: "git", Team: "git-team" });
                expect(await remoteTags(ctx.target, name)).toEqual({ Env: "prod", App: "git", Team: "git-team" });
              },
            },
            {
              config: user(name, `  path = "/engineering/"\n`),
              check: async (s, ctx) => {
                expect(s.attr(U, "unique_id")).toBe(uniqueId);
                expect(s.attr(U, "tags")).toBeNull();
                expect(s.attr(U, "tags_all")).toEqual({});
                expect(await remoteTags(ctx.target, name)).toEqual({});
              },
            },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );

    it(
      "renames in place (same unique_id, new arn; its credential is replaced cleanly), changes the path, sets and removes the permissions boundary",
      async () => {
        const before = uniqueName("user-old");
        const after = uniqueName("user-new");
        const config = (name: string, extra = "") => `${user(name, `  force_destroy = true\n${extra}`)}
resource "aws_iam_service_specific_credential" "test" {
  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.test.name
}
`;
        let uniqueId: unknown;
        let oldCredential: unknown;
        let outside: string | undefined;
        await runAcceptanceCase({
          target,
          steps: [
            {
              config: config(before),
              check: async (s, ctx) => {
                uniqueId = s.attr(U, "unique_id");
                oldCredential = s.attr(C, "service_specific_credential_id");
                // A credential Terraform does not manage, to see that the rename keeps what the user has.
                const out = await ctx.target
                  .iam()
                  .send(new CreateServiceSpecificCredentialCommand({ UserName: before, ServiceName: "cassandra.amazonaws.com" }));
                outside = out.ServiceSpecificCredential!.ServiceSpecificCredentialId;
              },
            },
            {
              config: config(after),
              check: async (s, ctx) => {
                const v = s.resource(U).values;
                expect(v.id).toBe(after);
                expect(v.name).toBe(after);
                expect(v.unique_id).toBe(uniqueId);
                expect(v.arn).toBe(`arn:aws:iam::123456789012:user/${after}`);
                expect(await userExists(ctx.target, before)).toBe(false);

                // user_name forces replacement: the old credential is deleted, not left behind
                // under the new name, and the new one belongs to the renamed user.
                const c = s.resource(C).values;
                expect(c.user_name).toBe(after);
                expect(c.id).toBe(`codecommit.amazonaws.com:${after}:${c.service_specific_credential_id as string}`);
                expect(c.service_specific_credential_id).not.toBe(oldCredential);
                expect((c.service_password as string).length).toBeGreaterThan(10);
                const iam = ctx.target.iam();
                const codecommit = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: after, ServiceName: "codecommit.amazonaws.com" }));
                expect(codecommit.ServiceSpecificCredentials?.map((x) => x.ServiceSpecificCredentialId)).toEqual([c.service_specific_credential_id]);
                // The unmanaged credential moved with the user.
                const cassandra = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: after, ServiceName: "cassandra.amazonaws.com" }));
                expect(cassandra.ServiceSpecificCredentials?.map((x) => x.ServiceSpecificCredentialId)).toEqual([outside]);
              },
            },
            {
              config: config(after, `  path = "/ops/team-a/"\n  permissions_boundary = "${BOUNDARY}"\n`),
              check: async (s, ctx) => {
                expect(s.attr(U, "unique_id")).toBe(uniqueId);
                expect(s.attr(U, "path")).toBe("/ops/team-a/");
                expect(s.attr(U, "arn")).toBe(`arn:aws:iam::123456789012:user/ops/team-a/${after}`);
                expect(s.attr(U, "permissions_boundary")).toBe(BOUNDARY);
                const remote = (await ctx.target.iam().send(new GetUserCommand({ UserName: after }))).User!;
                expect(remote.Path).toBe("/ops/team-a/");
                expect(remote.PermissionsBoundary?.PermissionsBoundaryArn).toBe(BOUNDARY);
              },
            },
            {
              config: config(after),
              check: async (s, ctx) => {
                expect(s.attr(U, "unique_id")).toBe(uniqueId);
                expect(s.attr(U, "path")).toBe("/");
                expect(s.attr(U, "arn")).toBe(`arn:aws:iam::123456789012:user/${after}`);
                expect(s.attr(U, "permissions_boundary")).toBeNull();
                const remote = (await ctx.target.iam().send(new GetUserCommand({ UserName: after }))).User!;
                expect(remote.Path).toBe("/");
                expect(remote.PermissionsBoundary).toBeUndefined();
              },
            },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );

    it(
      "force_destroy: without it the destroy fails with DeleteConflict and the user stays; with it everything is removed",
      async () => {
        const name = uniqueName("user-force");
        await runAcceptanceCase({
          target,
          steps: [
            {
              config: user(name),
              check: async (_s, ctx) => {
                // Made outside Terraform, as a person or another tool would.
                const iam = ctx.target.iam();
                await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: name, ServiceName: "codecommit.amazonaws.com" }));
                await iam.send(new CreateAccessKeyCommand({ UserName: name }));
                await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: "Correct-Horse-Battery-9" }));
              },
            },
            {
              config: "# the user is removed from the configuration\n",
              expectError: /IAM user still has credentials[\s\S]*force_destroy\s+=\s+true[\s\S]*IAM\s+said:\s+Cannot\s+delete\s+entity/,
              check: async (s, ctx) => {
                expect(s.has(U)).toBe(true);
                expect(await userExists(ctx.target, name)).toBe(true);
              },
            },
            { config: user(name, `  force_destroy = true\n`), check: (s) => expect(s.attr(U, "force_destroy")).toBe(true) },
            {
              config: "# removed again, now with force_destroy\n",
              check: async (s, ctx) => {
                expect(s.has(U)).toBe(false);
                expect(await userExists(ctx.target, name)).toBe(false);
                if (ctx.target.control) {
                  const state = await ctx.target.control.state();
                  expect(state.credentials.filter((c) => c.userName === name)).toEqual([]);
                }
              },
            },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );

    once(
      "a user deleted outside Terraform is planned for creation again",
      async () => {
        const name = uniqueName("user-gone");
        const config = user(name);
        await runAcceptanceCase({
          target,
          steps: [
            { config },
            {
              config,
              planOnly: true,
              expectNonEmptyPlan: true,
              preConfig: async (ctx) => void (await ctx.target.iam().send(new DeleteUserCommand({ UserName: name }))),
              planCheck: (plan) => expect(plan.actions(U)).toEqual(["create"]),
            },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );

    once(
      "a name that already exists fails with a clear 'already exists' error and adopts nothing",
      async () => {
        const name = uniqueName("user-dup");
        const iam = target.iam();
        await iam.send(new CreateUserCommand({ UserName: name, Tags: [{ Key: "made-by", Value: "someone-else" }] }));
        try {
          await runAcceptanceCase({
            target,
            steps: [
              {
                config: user(name),
                expectError: new RegExp(`IAM user already exists[\\s\\S]*${name}[\\s\\S]*already exists[\\s\\S]*terraform import`),
                check: async (s) => {
                  expect(s.has(U)).toBe(false);
                  expect(await remoteTags(target, name)).toEqual({ "made-by": "someone-else" });
                },
              },
            ],
          });
        } finally {
          await iam.send(new DeleteUserCommand({ UserName: name }));
        }
      },
      CASE_TIMEOUT_MS,
    );
  });
}
