/**
 * reset_trigger with real Terraform (issue 14): a change resets the password in place, the
 * plan shows the password as known after apply, setting it at create or removing it calls
 * nothing; an API key is replaced instead, with a warning; and a reset whose answer is lost
 * keeps the credential with an error, and the next plan resets again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AcceptanceTarget } from "../harness/index.ts";
import { acceptanceTargets, runAcceptanceCase, uniqueName } from "../harness/index.ts";
import { INSTALL_MODES, R, credentialConfig, emulatorCredential, expectSameSecret, expectedProvider, unknownAfter } from "./credential-features-support.ts";

const CASE_TIMEOUT_MS = 300_000;
const ADDRESS = `${R}.test`;
const RESET = "ResetServiceSpecificCredential";

for (const spec of acceptanceTargets()) {
  describe(`${R} reset_trigger on ${spec.name}`, () => {
    let target: AcceptanceTarget;
    beforeAll(async () => {
      target = await spec.start();
    });
    afterAll(async () => {
      await target?.close();
    });
    // Reset calls since the case began (the emulator serves the whole file).
    let resetsAtStart = 0;
    const allResets = async () => (target.control ? ((await target.control.state()).calls[RESET] ?? 0) : 0);
    const resets = async () => (await allResets()) - resetsAtStart;
    beforeEach(async () => {
      resetsAtStart = await allResets();
    });

    for (const mode of INSTALL_MODES) {
      it(
        `${mode}: a changed trigger resets the password in place; set at create or removed, it calls nothing`,
        async (t) => {
          if (!target.control) t.skip(`not on ${target.name}: needs the emulator's control API to read the valid password`);
          const user = uniqueName("reset");
          const config = (trigger?: string) =>
            credentialConfig(
              mode,
              user,
              `  service_name = "codecommit.amazonaws.com"\n  status = "Inactive"${trigger ? `\n  reset_trigger = "${trigger}"` : ""}`,
            );
          let first: Record<string, unknown> = {};
          let resetsBefore = 0;
          await runAcceptanceCase({
            target,
            steps: [
              {
                config: config("v1"),
                check: async (s) => {
                  first = s.resource(ADDRESS).values;
                  expect(String((s.resource(ADDRESS) as { provider_name?: string }).provider_name)).toMatch(expectedProvider(mode));
                  expect(first.reset_trigger).toBe("v1");
                  expect(await resets(), "no reset at create").toBe(0);
                  expectSameSecret(
                    first.service_password,
                    (await emulatorCredential(target, first.service_specific_credential_id)).servicePassword,
                    "password after create",
                  );
                },
              },
              {
                config: config("v2"),
                planOnly: true,
                expectNonEmptyPlan: true,
                planCheck: (plan) => {
                  expect(plan.actions(ADDRESS)).toEqual(["update"]);
                  expect(unknownAfter(plan, ADDRESS).service_password).toBe(true);
                  expect(plan.text).toMatch(/service_password\s+=\s+\(sensitive value\)/);
                },
              },
              {
                config: config("v2"),
                check: async (s) => {
                  const v = s.resource(ADDRESS).values;
                  expect(v.id).toBe(first.id);
                  expect(v.service_specific_credential_id).toBe(first.service_specific_credential_id);
                  expect(v.user_name).toBe(user);
                  expect(v.status).toBe("Inactive");
                  expect(v.service_password === first.service_password, "the password changed").toBe(false);
                  const inIam = await emulatorCredential(target, v.service_specific_credential_id);
                  expectSameSecret(v.service_password, inIam.servicePassword, "password after reset");
                  expect(inIam.status).toBe("Inactive");
                  resetsBefore = await resets();
                  expect(resetsBefore).toBe(1);
                },
              },
              {
                // Removing the trigger updates only the state.
                config: config(),
                check: async (s) => {
                  const v = s.resource(ADDRESS).values;
                  expect(v.reset_trigger).toBeNull();
                  expectSameSecret(
                    v.service_password,
                    (await emulatorCredential(target, v.service_specific_credential_id)).servicePassword,
                    "password after removing the trigger",
                  );
                  expect(await resets()).toBe(resetsBefore);
                },
              },
            ],
          });
        },
        CASE_TIMEOUT_MS,
      );

      it(
        `${mode}: on an API key a changed trigger plans a replacement with a warning`,
        async (t) => {
          const missing = target.missing("api-keys");
          if (missing) t.skip(`not on ${target.name}: ${missing}`);
          const user = uniqueName("reset-key");
          const config = (trigger: string) => credentialConfig(mode, user, `  service_name = "bedrock.amazonaws.com"\n  reset_trigger = "${trigger}"`);
          let firstId: unknown;
          await runAcceptanceCase({
            target,
            steps: [
              {
                config: config("a"),
                check: (s) => {
                  firstId = s.attr(ADDRESS, "service_specific_credential_id");
                },
              },
              {
                config: config("b"),
                planOnly: true,
                expectNonEmptyPlan: true,
                planCheck: (plan) => {
                  expect(plan.actions(ADDRESS)).toEqual(["delete", "create"]);
                  expect(plan.text).toMatch(/API key will be replaced, not reset/);
                  expect(plan.text).toMatch(/reset_trigger\s+=\s+"a" -> "b" # forces replacement/);
                },
              },
              {
                config: config("b"),
                check: async (s) => {
                  expect(s.attr(ADDRESS, "service_specific_credential_id")).not.toBe(firstId);
                  if (target.control) expect(await resets()).toBe(0);
                },
              },
            ],
          });
        },
        CASE_TIMEOUT_MS,
      );
    }

    it(
      "a reset whose answer is lost, or that fails with a server error, keeps the credential with an error; the next plan resets again",
      async (t) => {
        if (!target.control) t.skip(`not on ${target.name}: needs the emulator's fault injection`);
        const user = uniqueName("reset-lost");
        // One retry, so a fault that persists ends the call quickly.
        const config = (trigger: string) =>
          credentialConfig("drop-in", user, `  service_name = "cassandra.amazonaws.com"\n  reset_trigger = "${trigger}"`, "  max_retries = 1");
        let before: Record<string, unknown> = {};
        await runAcceptanceCase({
          target,
          steps: [
            {
              config: config("1"),
              check: (s) => {
                before = s.resource(ADDRESS).values;
              },
            },
            {
              // One lost answer: the SDK repeats the reset, and the answer that arrives holds the valid password.
              config: config("2"),
              preConfig: async () => void (await target.control!.addFault({ action: RESET, drop: "after", count: 1 })),
              check: async (s) => {
                const v = s.resource(ADDRESS).values;
                expect(await resets()).toBe(2);
                expectSameSecret(
                  v.service_password,
                  (await emulatorCredential(target, v.service_specific_credential_id)).servicePassword,
                  "password after a repeated reset",
                );
                before = v;
                await target.control!.clearFaults();
              },
            },
            {
              // Every answer lost: IAM changed the password, Terraform never saw it.
              config: config("3"),
              preConfig: async () => void (await target.control!.addFault({ action: RESET, drop: "after", count: 10 })),
              expectError: /Password reset not confirmed: the password may have changed/,
              check: async (s) => {
                const v = s.resource(ADDRESS).values;
                expect(v.service_specific_credential_id).toBe(before.service_specific_credential_id);
                expect(v.reset_trigger, "the state keeps the prior trigger").toBe("2");
                expectSameSecret(v.service_password, before.service_password, "the state keeps the prior password");
                const inIam = await emulatorCredential(target, v.service_specific_credential_id);
                expect(inIam.servicePassword === v.service_password, "IAM's password did change").toBe(false);
                await target.control!.clearFaults();
              },
            },
            {
              // Back to the old trigger value: the unconfirmed reset alone plans a reset.
              config: config("2"),
              planOnly: true,
              expectNonEmptyPlan: true,
              planCheck: (plan) => {
                expect(plan.actions(ADDRESS)).toEqual(["update"]);
                expect(unknownAfter(plan, ADDRESS).service_password).toBe(true);
                expect(plan.text).toMatch(/Password will be reset again/);
              },
            },
            {
              config: config("2"),
              check: async (s) => {
                const v = s.resource(ADDRESS).values;
                expect(v.service_specific_credential_id).toBe(before.service_specific_credential_id);
                expectSameSecret(
                  v.service_password,
                  (await emulatorCredential(target, v.service_specific_credential_id)).servicePassword,
                  "password after the repeated reset",
                );
              },
            },
            {
              // A server error (IAM may have acted) is treated the same way.
              config: config("4"),
              preConfig: async () => void (await target.control!.addFault({ action: RESET, code: "ServiceFailure", status: 500, count: 10 })),
              expectError: /Password reset not confirmed/,
              check: async () => target.control!.clearFaults(),
            },
            {
              config: config("4"),
              check: async (s) => {
                const v = s.resource(ADDRESS).values;
                expectSameSecret(
                  v.service_password,
                  (await emulatorCredential(target, v.service_specific_credential_id)).servicePassword,
                  "password after the retried reset",
                );
              },
            },
          ],
        });
      },
      CASE_TIMEOUT_MS,
    );
  });
}
