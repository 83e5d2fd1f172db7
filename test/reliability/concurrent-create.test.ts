/**
 * Issue 13 item 1: two Terraform processes create a credential for the same existing user. A's
 * create is dropped before it reaches IAM while B creates its own. From A's side that looks
 * exactly like a lost answer, so A must not take B's credential for its own: it creates and
 * deletes nothing, and fails naming the candidate. B keeps a working credential.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRED, createUserOutside, startLab, startTerraform, stateCredentials, waitFor, type Lab } from "./support.ts";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

const CREATE = "CreateServiceSpecificCredential";
const USER = "shared-user";

const config = `
resource "${CRED}" "c" {
  user_name    = "${USER}"
  service_name = "codecommit.amazonaws.com"
}
`;

describe("two processes creating for the same user", () => {
  it("A's dropped create does not adopt or delete B's credential; A fails naming it", { timeout: 300_000 }, async () => {
    await lab.control.clearFaults();
    await lab.control.reset();
    await createUserOutside(lab, USER);

    const a = await lab.workdir({}, { reattach: true });
    const b = await lab.workdir({}, { reattach: true });
    await a.writeConfig(config);
    await b.writeConfig(config);
    // B's plan is made beforehand, so that its apply is quick enough to land while A's create is held.
    await b.ok(["plan", "-no-color", "-out=b.tfplan"]);

    await lab.control.addFault({ action: CREATE, drop: "before", count: 1, delayMs: 2500 });
    const runA = startTerraform(a, ["apply", "-auto-approve", "-no-color"]);
    // The emulator counts a call before it applies the fault's delay: A's create is now being held.
    await waitFor(async () => ((await lab.control.state()).calls[CREATE] ?? 0) >= 1, 120_000, "A's create to reach the emulator");
    const resultB = await b.run(["apply", "-no-color", "b.tfplan"]);
    const resultA = await runA.done;

    expect(resultB.code, resultB.stderr).toBe(0);
    const emulator = await lab.control.state();
    const [credB] = stateCredentials(await b.showState());
    expect(credB).toBeDefined();
    // The interleaving this test is about: B's credential was made while A's create was held.
    expect((await lab.control.faults())[0]!.fired).toBe(1);

    // B's credential survives, with the password B's state holds (compared, never printed).
    const inIam = emulator.credentials.find((c) => c.id === credB!.id);
    expect(inIam, "B's credential still exists").toBeDefined();
    expect(typeof credB!.password === "string" && credB!.password.length > 10).toBe(true);
    expect(inIam!.servicePassword === credB!.password, "B's state holds the credential's password").toBe(true);

    // A created nothing more and deleted nothing, and says which credential it could not place.
    expect(resultA.code).toBe(1);
    expect(emulator.calls.DeleteServiceSpecificCredential ?? 0).toBe(0);
    expect(emulator.calls[CREATE]).toBe(2); // A's dropped one and B's
    expect(emulator.credentials.map((c) => c.id)).toEqual([credB!.id]);
    const outA = (resultA.stdout + resultA.stderr).replace(/\s+/g, " ");
    expect(outA).toContain("Cannot tell whether the credential was created");
    expect(outA).toContain(credB!.id);
    expect(outA).toContain(`terraform import ${CRED}.NAME codecommit.amazonaws.com:${USER}:${credB!.id}`);
    expect(stateCredentials(await a.showState())).toEqual([]);
    expect(outA.includes(String(credB!.password)), "no secret in A's output").toBe(false);

    await b.ok(["destroy", "-auto-approve", "-no-color"]);
  });
});
