/**
 * Issue 6, "nothing lost, nothing orphaned": CreateServiceSpecificCredential answers that
 * never arrive. IAM created the credential (drop "after"), or did not (drop "before", a 500),
 * and the provider cannot tell from the failure alone. After every apply each credential in
 * the emulator is in the state or named in the error, and no blind retry ever pushes a user
 * past the two-per-service limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRED, expectAgreement, ids, startLab, stateCredentials, usersWithCredentials, type Lab } from "./support.ts";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

const CREATE = "CreateServiceSpecificCredential";

async function reset() {
  await lab.control.clearFaults();
  await lab.control.reset();
}

describe("lost Create answers", () => {
  it("a credential created without an answer is deleted and made again: two per user, both with passwords, none stray", async () => {
    await reset();
    const wd = await lab.workdir();
    await wd.writeConfig(usersWithCredentials("lost", 1, 2));
    await lab.control.addFault({ action: CREATE, drop: "after", count: 1 });
    const started = performance.now();
    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    const seconds = (performance.now() - started) / 1000;

    const state = await wd.showState();
    const emulator = await lab.control.state();
    const creds = stateCredentials(state);
    // Without the check, the SDK's retry makes a second credential for the first resource, and
    // the second resource then hits the two-per-service limit, leaving a stray.
    expect(expectAgreement(state, emulator, { credentials: 2, users: 1 })).toEqual({ credentials: 2, users: 1 });
    for (const c of creds) {
      expect(c.tainted).toBe(false);
      expect(typeof c.password === "string" && c.password.length > 10, `${c.address} has its password`).toBe(true);
    }
    const faults = await lab.control.faults();
    expect(faults[0]!.fired).toBe(1);
    // Two creates that were answered, one that was not; the unanswered one's credential deleted.
    expect(emulator.calls[CREATE]).toBe(3);
    expect(emulator.calls.DeleteServiceSpecificCredential).toBe(1);
    console.log(`[lost-after] injected ${faults[0]!.fired}, creates ${emulator.calls[CREATE]}, recovered deletes ${emulator.calls.DeleteServiceSpecificCredential}, state ${creds.length} = emulator ${emulator.credentials.length}, ${seconds.toFixed(1)} s`);

    await lab.control.clearFaults();
    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
    const after = await lab.control.state();
    expect(after.credentials).toEqual([]);
    expect(after.users).toEqual([]);
  });

  it("when every answer is lost, the credential IAM made is kept tainted and named; the next apply replaces it", async () => {
    await reset();
    const wd = await lab.workdir();
    await wd.writeConfig(usersWithCredentials("lostall", 1, 1));
    await lab.control.addFault({ action: CREATE, drop: "after", count: 10 });
    const failed = await wd.run(["apply", "-auto-approve", "-no-color"]);
    expect(failed.code).toBe(1);

    const state = await wd.showState();
    const emulator = await lab.control.state();
    expectAgreement(state, emulator, { credentials: 1, users: 1 });
    const [kept] = stateCredentials(state);
    expect(kept!.tainted).toBe(true);
    expect(kept!.password).toBeNull();
    const output = failed.stdout + failed.stderr;
    expect(output).toMatch(/Credential created without its secret/);
    // The error names the credential it kept, and the one it deleted before trying again.
    expect(output).toContain(kept!.id);
    expect(emulator.calls[CREATE]).toBe(2);
    expect(emulator.calls.DeleteServiceSpecificCredential).toBe(1);
    expect(output).toMatch(/It had already deleted ACCA\w+/);

    await lab.control.clearFaults();
    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    const replaced = await wd.showState();
    const [fresh] = stateCredentials(replaced);
    expect(fresh!.tainted).toBe(false);
    expect(fresh!.id).not.toBe(kept!.id);
    expect(typeof fresh!.password).toBe("string");
    expectAgreement(replaced, await lab.control.state(), { credentials: 1, users: 1 });

    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
    const after = await lab.control.state();
    expect(after.credentials).toEqual([]);
    expect(after.users).toEqual([]);
  });

  it("dropped before IAM acted, or refused with a server error: nothing was created, so the create is simply tried again", async () => {
    await reset();
    const wd = await lab.workdir();
    const started = performance.now();
    // The emulator's count faults fire together on the same calls, so one kind per apply.
    await wd.writeConfig(usersWithCredentials("nothing", 1, 2));
    await lab.control.addFault({ action: CREATE, drop: "before", count: 2 });
    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    let emulator = await lab.control.state();
    expectAgreement(await wd.showState(), emulator, { credentials: 2, users: 1 });
    expect(emulator.calls[CREATE]).toBe(4);

    await lab.control.clearFaults();
    await wd.writeConfig(usersWithCredentials("nothing", 2, 2));
    await lab.control.addFault({ action: CREATE, code: "ServiceFailure", status: 500, count: 2 });
    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    const seconds = (performance.now() - started) / 1000;
    const state = await wd.showState();
    emulator = await lab.control.state();
    expectAgreement(state, emulator, { credentials: 4, users: 2 });
    expect(emulator.calls[CREATE]).toBe(8);
    expect(emulator.calls.DeleteServiceSpecificCredential ?? 0).toBe(0);
    // The passwords in the state are the ones IAM holds.
    for (const c of stateCredentials(state)) {
      expect(typeof c.password, c.address).toBe("string");
      expect(emulator.credentials.find((e) => e.id === c.id)?.servicePassword).toBe(c.password);
    }
    console.log(`[lost-before/500] injected 2+2, creates ${emulator.calls[CREATE]}, deletes 0, state = emulator = ${emulator.credentials.length}, ${seconds.toFixed(1)} s`);
    await lab.control.clearFaults();
    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
    expect(ids((await lab.control.state()).credentials)).toEqual([]);
  });

  it(`${CRED}: a blind retry would breach the limit; with the check IAM never refuses`, async () => {
    await reset();
    const wd = await lab.workdir();
    await wd.writeConfig(usersWithCredentials("limit", 2, 2));
    // Every second create loses its answer.
    await lab.control.addFault({ action: CREATE, drop: "after", rate: 0.5, seed: 7 });
    const result = await wd.run(["apply", "-auto-approve", "-no-color", "-parallelism=4"]);
    const state = await wd.showState();
    const emulator = await lab.control.state();
    // Whatever the outcome of each resource, nothing exists that the state does not hold.
    expectAgreement(state, emulator);
    expect(result.stdout + result.stderr).not.toMatch(/LimitExceeded|at most two/);
    const perUser = new Map<string, number>();
    for (const c of emulator.credentials) perUser.set(c.userName, (perUser.get(c.userName) ?? 0) + 1);
    for (const n of perUser.values()) expect(n).toBeLessThanOrEqual(2);
    for (const c of stateCredentials(state).filter((c) => c.tainted)) expect(result.stdout + result.stderr).toContain(c.id);

    await lab.control.clearFaults();
    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    expectAgreement(await wd.showState(), await lab.control.state(), { credentials: 4, users: 2 });
    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
    expect((await lab.control.state()).credentials).toEqual([]);
  });
});
