/**
 * Issue 6, scale: 400 credentials for 200 users at -parallelism=20. Apply, an empty plan, a
 * refresh, another empty plan and destroy, with the emulator and the state agreeing after each.
 * Run with `npm run test:scale` (not part of `npm test`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAgreement, startLab, stateCredentials, usersWithCredentials, type Lab } from "./support.ts";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

describe("scale", () => {
  it("400 credentials (200 users x 2) at -parallelism=20", async () => {
    const wd = await lab.workdir();
    await wd.writeConfig(usersWithCredentials("scale", 200, 2));
    const times: string[] = [];
    const timed = async (name: string, args: string[], okCodes = [0]) => {
      const started = performance.now();
      const result = await wd.ok(args, okCodes);
      times.push(`${name} ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return result;
    };
    const total = performance.now();

    await timed("apply", ["apply", "-auto-approve", "-no-color", "-parallelism=20"]);
    let state = await wd.showState();
    expectAgreement(state, await lab.control.state(), { credentials: 400, users: 200 });
    for (const c of stateCredentials(state)) expect(typeof c.password === "string" && c.password.length > 10, c.address).toBe(true);

    const listsBefore = (await lab.control.state()).calls.ListServiceSpecificCredentials ?? 0;
    await timed("plan", ["plan", "-no-color", "-detailed-exitcode", "-parallelism=20"]);
    // The refresh reads each user's pair of credentials through one listing (credential-listings.ts).
    expect(((await lab.control.state()).calls.ListServiceSpecificCredentials ?? 0) - listsBefore).toBe(200);
    await timed("refresh", ["apply", "-refresh-only", "-auto-approve", "-no-color", "-parallelism=20"]);
    state = await wd.showState();
    expectAgreement(state, await lab.control.state(), { credentials: 400, users: 200 });
    for (const c of stateCredentials(state)) expect(typeof c.password, `${c.address} after refresh`).toBe("string");
    await timed("plan after refresh", ["plan", "-no-color", "-detailed-exitcode", "-parallelism=20"]);

    await timed("destroy", ["destroy", "-auto-approve", "-no-color", "-parallelism=20"]);
    expectAgreement(await wd.showState(), await lab.control.state(), { credentials: 0, users: 0 });
    const calls = (await lab.control.state()).calls;
    console.log(
      `[scale] 400 credentials / 200 users: ${times.join(", ")}; total ${((performance.now() - total) / 1000).toFixed(1)} s; ` +
        `IAM calls ${Object.values(calls).reduce((a, b) => a + b, 0)} (creates ${calls.CreateServiceSpecificCredential}, lists ${calls.ListServiceSpecificCredentials})`,
    );
  });
});
