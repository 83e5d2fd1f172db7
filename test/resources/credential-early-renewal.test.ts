/**
 * early_renewal_days with real Terraform (issue 14): the emulator's clock, which reaches the
 * provider only through the Date header of IAM's answers, moves the key into its renewal
 * window; the next plan replaces it with a warning giving the expiry, and not before. Bad
 * combinations are refused at validate.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AcceptanceTarget } from "../harness/index.ts";
import { acceptanceTargets, runAcceptanceCase, uniqueName } from "../harness/index.ts";
import { INSTALL_MODES, R, credentialConfig } from "./credential-features-support.ts";

const CASE_TIMEOUT_MS = 300_000;
const ADDRESS = `${R}.test`;
const DAY_MS = 86_400_000;

for (const spec of acceptanceTargets()) {
  describe(`${R} early_renewal_days on ${spec.name}`, () => {
    let target: AcceptanceTarget;
    beforeAll(async () => {
      target = await spec.start();
    });
    afterAll(async () => {
      await target?.close();
    });

    for (const mode of INSTALL_MODES) {
      it(
        `${mode}: IAM's clock inside the window plans a replacement with the expiry; outside it the plan is empty`,
        async (t) => {
          const missing = target.missing("api-keys", "control-api");
          if (missing) t.skip(`not on ${target.name}: ${missing}`);
          const user = uniqueName("renew");
          const config = credentialConfig(mode, user, `  service_name = "bedrock.amazonaws.com"\n  credential_age_days = 30\n  early_renewal_days = 7`);
          let first: Record<string, unknown> = {};
          await runAcceptanceCase({
            target,
            steps: [
              {
                config,
                check: (s) => {
                  first = s.resource(ADDRESS).values;
                },
              },
              {
                // 20 days on: 10 days left, outside the 7-day window. The local clock never moves.
                config,
                preConfig: () => target.control!.advanceDays(20),
                planOnly: true,
              },
              {
                // 24 days on: 6 days left.
                config,
                preConfig: () => target.control!.advanceDays(4),
                planOnly: true,
                expectNonEmptyPlan: true,
                planCheck: (plan) => {
                  expect(plan.actions(ADDRESS)).toEqual(["delete", "create"]);
                  expect(plan.text).toMatch(/API key will be renewed/);
                  // Terraform wraps warning text: match across line breaks.
                  const text = plan.text.replace(/\s+/g, " ");
                  expect(text).toContain(`expires at ${String(first.expiration_date)}`);
                  expect(text).toMatch(/by IAM's clock/);
                },
              },
              {
                config,
                check: (s) => {
                  const v = s.resource(ADDRESS).values;
                  expect(v.service_specific_credential_id).not.toBe(first.service_specific_credential_id);
                  // The new key runs 30 days from IAM's now, 24 days after the first one was made.
                  expect(Date.parse(String(v.expiration_date)) - Date.parse(String(first.expiration_date))).toBeGreaterThanOrEqual(24 * DAY_MS - 60_000);
                },
              },
            ],
          });
        },
        CASE_TIMEOUT_MS,
      );
    }

    it(
      "is refused at validate for password services, without credential_age_days, and when not smaller than it",
      async () => {
        const user = uniqueName("renew-bad");
        const cases: [string, RegExp][] = [
          [`  service_name = "codecommit.amazonaws.com"\n  early_renewal_days = 5`, /early_renewal_days does not apply to this service/],
          [`  service_name = "bedrock.amazonaws.com"\n  early_renewal_days = 5`, /early_renewal_days needs credential_age_days/],
          [
            `  service_name = "logs.amazonaws.com"\n  credential_age_days = 30\n  early_renewal_days = 30`,
            /early_renewal_days must be smaller than credential_age_days/,
          ],
        ];
        await runAcceptanceCase({
          target,
          // Every step fails at validate: nothing is created, and destroy would fail validation too.
          skipDestroy: true,
          steps: cases.map(([args, error]) => ({ config: credentialConfig("drop-in", user, args), planOnly: true, expectError: error })),
        });
      },
      CASE_TIMEOUT_MS,
    );
  });
}
