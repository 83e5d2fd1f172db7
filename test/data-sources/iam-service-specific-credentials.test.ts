/**
 * data "aws_iam_service_specific_credentials" with real Terraform, in both install modes (drop-in
 * as hashicorp/aws, and under its own address with `provider = awsssc`), on every target:
 *  - a user with two credentials (a password, and an API key where the target issues them) is
 *    listed oldest first, each with the resource's import id and metadata, and no secret in state;
 *  - service_name filters; the list is complete when IAM answers one item per page;
 *  - its output drives `import` blocks that bring both credentials into a fresh state;
 *  - an unknown user is a plan error that names the user.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AcceptanceTarget, StepContext } from "../harness/index.ts";
import { OFFICIAL_PROVIDER_ADDRESS, OWN_PROVIDER_ADDRESS } from "../../src/provider-address.ts";
import { TerraformCommandError, TerraformWorkingDir, acceptanceTargets, runAcceptanceCase, uniqueName } from "../harness/index.ts";

// Two steps of four Terraform commands each, an import and a destroy, on a shared 2-core machine.
const CASE_TIMEOUT_MS = 300_000;
const DATA = "aws_iam_service_specific_credentials";
const CREDENTIAL = "aws_iam_service_specific_credential";
const LISTED = [
  "id",
  "service_specific_credential_id",
  "service_name",
  "service_user_name",
  "service_credential_alias",
  "status",
  "create_date",
  "expiration_date",
];

type Mode = "drop-in" | "own address";
const MODES: Mode[] = ["drop-in", "own address"];

/** What routes a block to this provider in each mode: nothing as the drop-in, `provider = awsssc` beside hashicorp/aws. */
function install(mode: Mode) {
  const own = mode === "own address";
  return {
    header: own
      ? `terraform {
  required_providers {
    aws    = { source = "hashicorp/aws" }
    awsssc = { source = "iamssc/awsssc" }
  }
}
`
      : "",
    provider: own ? "  provider = awsssc\n" : "",
  };
}

function config(mode: Mode, user: string, second: { service: string; ageDays?: number } | undefined): string {
  const { header, provider } = install(mode);
  let hcl = `${header}
resource "aws_iam_user" "u" {
  name = "${user}"
}

resource "${CREDENTIAL}" "first" {
${provider}  service_name = "codecommit.amazonaws.com"
  user_name    = aws_iam_user.u.name
}
`;
  if (!second) return hcl;
  hcl += `
resource "${CREDENTIAL}" "second" {
${provider}  service_name = "${second.service}"
  user_name    = aws_iam_user.u.name
${second.ageDays ? `  credential_age_days = ${second.ageDays}\n` : ""}  depends_on   = [${CREDENTIAL}.first]
}

data "${DATA}" "all" {
${provider}  user_name  = aws_iam_user.u.name
  depends_on = [${CREDENTIAL}.second]
}

data "${DATA}" "codecommit" {
${provider}  user_name    = aws_iam_user.u.name
  service_name = "codecommit.amazonaws.com"
  depends_on   = [${CREDENTIAL}.second]
}

output "import_ids" {
  value = data.${DATA}.all.credentials[*].id
}
`;
  return hcl;
}

/** The documented use: the data source's ids feed import blocks, one per credential. */
function importConfig(mode: Mode, user: string, apiKeyAgeDays: number | undefined): string {
  const { header, provider } = install(mode);
  return `${header}
data "${DATA}" "found" {
${provider}  user_name = "${user}"
}

import {
  for_each = { for c in data.${DATA}.found.credentials : c.service_name => c.id }
${provider}  to       = ${CREDENTIAL}.imported[each.key]
  id       = each.value
}

resource "${CREDENTIAL}" "imported" {
  for_each = { for c in data.${DATA}.found.credentials : c.service_name => c }
${provider}  service_name = each.value.service_name
  user_name    = "${user}"
${apiKeyAgeDays ? `  credential_age_days = each.value.expiration_date == null ? null : ${apiKeyAgeDays}\n` : ""}}
`;
}

/** A managed credential's attributes as the data source lists them. */
function asListed(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(LISTED.map((k) => [k, values[k] ?? null]));
}

for (const spec of acceptanceTargets()) {
  describe(`data source ${DATA} on ${spec.name}`, () => {
    let target: AcceptanceTarget;
    beforeAll(async () => {
      target = await spec.start();
    });
    afterAll(async () => {
      await target?.control?.setPageSize(null).catch(() => {});
      await target?.close();
    });

    for (const mode of MODES) {
      it(
        `${mode}: lists a user's credentials oldest first with import ids and no secret, filters by service, pages to the end, and feeds import blocks`,
        async () => {
          const user = uniqueName("dslist");
          const apiKeys = target.missing("api-keys") === undefined;
          const second = apiKeys ? { service: "bedrock.amazonaws.com", ageDays: 30 } : { service: "cassandra.amazonaws.com" };
          const paged = target.missing("list-paging", "control-api") === undefined;
          await runAcceptanceCase({
            target,
            steps: [
              { config: config(mode, user, undefined) },
              {
                config: config(mode, user, second),
                preConfig: async () => {
                  // The second credential is made a minute later (an emulator clock step), and it sorts
                  // before codecommit by name: the list must follow the dates.
                  await target.control?.advanceSeconds(60);
                  // One credential per page: the list is only complete if every page is followed.
                  if (paged) await target.control!.setPageSize(1);
                },
                check: async (s, ctx) => {
                  const first = s.resource(`${CREDENTIAL}.first`).values;
                  const next = s.resource(`${CREDENTIAL}.second`).values;
                  const all = s.resource(`data.${DATA}.all`).values;
                  // Read by the provider the mode routes it to.
                  const providerName = (s.resource(`data.${DATA}.all`) as { provider_name?: string }).provider_name;
                  expect(providerName).toBe(mode === "own address" ? OWN_PROVIDER_ADDRESS : OFFICIAL_PROVIDER_ADDRESS);
                  expect(all.id).toBe(user);
                  expect(all.user_name).toBe(user);
                  expect(all.service_name).toBeNull();
                  expect(all.credentials).toEqual([asListed(first), asListed(next)]);
                  const [a, b] = all.credentials as Record<string, string>[];
                  if (target.control) expect(Date.parse(b!.create_date!) - Date.parse(a!.create_date!)).toBeGreaterThanOrEqual(60_000);
                  expect(a!.id).toBe(`codecommit.amazonaws.com:${user}:${first.service_specific_credential_id as string}`);
                  expect(b!.id).toBe(`${second.service}:${user}:${next.service_specific_credential_id as string}`);
                  if (apiKeys) {
                    expect(b!.service_credential_alias).toEqual(expect.any(String));
                    expect(b!.expiration_date).toEqual(expect.any(String));
                  }

                  const codecommit = s.resource(`data.${DATA}.codecommit`).values;
                  expect(codecommit.id).toBe(`codecommit.amazonaws.com:${user}`);
                  expect(codecommit.credentials).toEqual([asListed(first)]);
                  expect(s.output("import_ids")).toEqual([first.id, next.id]);

                  // No secret anywhere in what the data sources stored; compared without printing them.
                  const secrets = [first.service_password, next.service_password, next.service_credential_secret].filter(
                    (v): v is string => typeof v === "string",
                  );
                  expect(secrets.length).toBe(2);
                  const stored = JSON.stringify([all, codecommit]);
                  for (const secret of secrets) expect(stored.includes(secret), "a secret is in the data source's state").toBe(false);
                  for (const c of all.credentials as Record<string, unknown>[]) expect(Object.keys(c).sort()).toEqual([...LISTED].sort());

                  await importWithDataSource(ctx, mode, user, apiKeys ? 30 : undefined, [first, next]);
                },
              },
            ],
          });
          await target.control?.setPageSize(null);
        },
        CASE_TIMEOUT_MS,
      );

      it(
        `${mode}: an unknown user is a plan error that names the user`,
        async () => {
          const user = uniqueName("dsnone");
          const { header, provider } = install(mode);
          await runAcceptanceCase({
            target,
            // Nothing is created: the plan fails, and a destroy would read the data source again.
            skipDestroy: true,
            steps: [
              {
                planOnly: true,
                config: `${header}\ndata "${DATA}" "missing" {\n${provider}  user_name = "${user}"\n}\n`,
                expectError: new RegExp(`Error: IAM user not found[\\s\\S]*user_name = "${user}"[\\s\\S]*IAM has no user named\\s+"${user}"`),
              },
            ],
          });
        },
        CASE_TIMEOUT_MS,
      );
    }
  });
}

/**
 * In a fresh working directory, import blocks fed by the data source bring in every credential of
 * the user; the imported objects are the applied ones (secrets aside, which IAM never returns
 * again), and the next plan is empty. The fresh state is dropped, not destroyed: the main
 * working directory owns these credentials.
 */
async function importWithDataSource(
  ctx: StepContext,
  mode: Mode,
  user: string,
  apiKeyAgeDays: number | undefined,
  applied: Record<string, unknown>[],
): Promise<void> {
  const fresh = await TerraformWorkingDir.create({ env: ctx.target.env, reattach: ctx.reattach, providerPool: ctx.target.providerPool });
  try {
    await fresh.writeConfig(importConfig(mode, user, apiKeyAgeDays));
    const result = await fresh.ok(["apply", "-auto-approve", "-no-color"]);
    expect(result.stdout).toContain("Apply complete! Resources: 2 imported, 0 added, 0 changed, 0 destroyed.");
    const state = (await fresh.showState()).values?.root_module?.resources ?? [];
    for (const original of applied) {
      const imported = state.find((r) => r.address === `${CREDENTIAL}.imported["${original.service_name as string}"]`);
      expect(imported, `${original.service_name as string} was not imported`).toBeDefined();
      const withoutSecrets = (v: Record<string, unknown>) => ({ ...v, service_password: null, service_credential_secret: null });
      expect(withoutSecrets(imported!.values)).toEqual(withoutSecrets(original));
      expect(imported!.values.service_password ?? null).toBeNull();
      expect(imported!.values.service_credential_secret ?? null).toBeNull();
    }
    const plan = await fresh.run(["plan", "-detailed-exitcode", "-no-color"]);
    if (plan.code !== 0) throw new TerraformCommandError(["plan", "-detailed-exitcode"], plan);
  } finally {
    await fresh.cleanup();
  }
}
