/**
 * Issue 6: throttling and server errors on 30% of all IAM calls. Forty credentials for twenty
 * users are applied, planned, refreshed and destroyed through them, and at every step the
 * state and the emulator hold exactly the same objects.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countLogLines, expectAgreement, startLab, stateCredentials, usersWithCredentials, type Lab } from "./support.ts";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

// Two faults on every action: the first fires on 15% of calls, the second on 15/85 of the
// rest, so 30% of calls fail, half throttled (400) and half with a server error (500).
const FAULTS = [
  { action: "*", code: "Throttling", status: 400, rate: 0.15, seed: 6001 },
  { action: "*", code: "ServiceFailure", status: 500, rate: 0.15 / 0.85, seed: 6002 },
];

const logLines = (path: string) => readFileSync(path, "utf8").split("\n");

describe("30% throttling and server errors on every action", () => {
  it("40 credentials for 20 users: apply, empty plan, refresh and destroy, state and emulator agreeing", { timeout: 300_000 }, async () => {
    const wd = await lab.workdir({ TF_LOG_PROVIDER: "debug" });
    const log = join(wd.dir, "provider.log");
    const env = { TF_LOG_PATH: log };
    await wd.writeConfig(usersWithCredentials("chaos", 20, 2));
    for (const f of FAULTS) await lab.control.addFault(f);

    const step = async (name: string, args: string[], okCodes = [0]) => {
      const started = performance.now();
      const result = await wd.ok(args, okCodes, env);
      return { name, seconds: (performance.now() - started) / 1000, result };
    };
    const apply = await step("apply", ["apply", "-auto-approve", "-no-color", "-parallelism=10"]);
    let state = await wd.showState();
    expect(expectAgreement(state, await lab.control.state(), { credentials: 40, users: 20 })).toEqual({ credentials: 40, users: 20 });
    for (const c of stateCredentials(state)) {
      expect(c.tainted, c.address).toBe(false);
      expect(typeof c.password === "string" && c.password.length > 10, `${c.address} keeps its password`).toBe(true);
    }
    const plan = await step("plan", ["plan", "-no-color", "-detailed-exitcode"]);
    const refresh = await step("refresh", ["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    state = await wd.showState();
    expectAgreement(state, await lab.control.state(), { credentials: 40, users: 20 });
    for (const c of stateCredentials(state)) expect(typeof c.password, `${c.address} after refresh`).toBe("string");
    const planAgain = await step("plan after refresh", ["plan", "-no-color", "-detailed-exitcode"]);
    const destroy = await step("destroy", ["destroy", "-auto-approve", "-no-color", "-parallelism=10"]);
    expectAgreement(await wd.showState(), await lab.control.state(), { credentials: 0, users: 0 });

    const faults = await lab.control.faults();
    const emulator = await lab.control.state();
    const calls = Object.values(emulator.calls).reduce((a, b) => a + b, 0);
    const fired = faults.map((f) => f.fired);
    const retries = countLogLines(log, "retrying AWS call");
    const retriesOf = (code: string) =>
      logLines(log).filter((l) => l.includes("retrying AWS call") && new RegExp(`error_code"?[=:]"?${code}\\b`).test(l)).length;
    const lostAnswerChecks = countLogLines(log, "CreateServiceSpecificCredential ended without an answer; checking whether");
    // Both faults really fired, at about the intended rate (the first one decides a call both hit).
    expect(Math.min(...fired)).toBeGreaterThan(0);
    expect(fired[0]! / calls).toBeGreaterThan(0.08);
    expect((fired[0]! + fired[1]!) / calls).toBeLessThan(0.4);
    // Every failed call was retried. Each Throttling fault that fired answered one call with
    // Throttling (it is checked first), and throttling is retried by every call: one retry each.
    const throttlingRetries = retriesOf("Throttling");
    expect(throttlingRetries, `${throttlingRetries} Throttling retries for ${fired[0]} Throttling faults`).toBe(fired[0]);
    // A ServiceFailure answered every call its fault hit unless Throttling hit it too: between
    // fired[1] - fired[0] and fired[1] answers, each retried or (a create) checked after the 500.
    const serverErrorsHandled = retriesOf("ServiceFailure") + lostAnswerChecks;
    expect(serverErrorsHandled).toBeLessThanOrEqual(fired[1]!);
    expect(serverErrorsHandled).toBeGreaterThanOrEqual(Math.max(1, fired[1]! - fired[0]!));
    console.log(
      `[chaos] ${calls} IAM calls, faults fired ${fired.join(" (Throttling) + ")} (ServiceFailure) ` +
        `(a call hit by both counts twice), ${retries} SDK retries, ${lostAnswerChecks} create(s) checked after a 500; ` +
        [apply, plan, refresh, planAgain, destroy].map((s) => `${s.name} ${s.seconds.toFixed(1)} s`).join(", ") +
        `; creates ${emulator.calls.CreateServiceSpecificCredential}, state = emulator = 40 then 0`,
    );
  });
});
