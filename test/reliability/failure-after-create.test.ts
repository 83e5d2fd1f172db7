/**
 * Issue 6: a failure after the create. The credential exists and its password was shown once;
 * setting it Inactive then fails. The state keeps it, tainted, with that password (the same
 * one IAM holds); the next apply replaces it; destroy leaves the emulator empty. The same
 * case with the harness's own destroy check is in test/resources/iam-service-specific-credential.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultSpec } from "../../src/emulator/index.ts";
import { CRED, expectAgreement, startLab, stateCredentials, type Lab } from "./support.ts";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

const config = `
provider "aws" {
  max_retries = 2
}
resource "aws_iam_user" "u" {
  name = "after-create"
}
resource "${CRED}" "c" {
  user_name    = aws_iam_user.u.name
  service_name = "cassandra.amazonaws.com"
  status       = "Inactive"
}
`;

const CASES: [string, FaultSpec][] = [
  ["refused (AccessDenied)", { action: "UpdateServiceSpecificCredential", code: "AccessDenied", status: 403, count: 1 }],
  ["server errors beyond max_retries", { action: "UpdateServiceSpecificCredential", code: "ServiceFailure", status: 500, count: 3 }],
];

describe("the status update after the create fails", () => {
  it.each(CASES)("%s: tainted with its password, replaced by the next apply, destroy leaves nothing", async (_name, fault) => {
    await lab.control.clearFaults();
    await lab.control.reset();
    const wd = await lab.workdir({}, { reattach: true });
    await wd.writeConfig(config);
    await lab.control.addFault(fault);
    const failed = await wd.run(["apply", "-auto-approve", "-no-color"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toMatch(/Credential created, but its status could not be set/);

    let state = await wd.showState();
    let emulator = await lab.control.state();
    expectAgreement(state, emulator, { credentials: 1, users: 1 });
    const [first] = stateCredentials(state);
    expect(first!.tainted).toBe(true);
    // The password in the state is the one IAM issued: nothing was lost.
    expect(first!.password).toBe(emulator.credentials[0]!.servicePassword);
    expect((await lab.control.faults())[0]!.fired).toBe(fault.count);

    await lab.control.clearFaults();
    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    state = await wd.showState();
    emulator = await lab.control.state();
    expectAgreement(state, emulator, { credentials: 1, users: 1 });
    const [second] = stateCredentials(state);
    expect(second!.tainted).toBe(false);
    expect(second!.id).not.toBe(first!.id);
    expect(emulator.credentials[0]!.status).toBe("Inactive");
    expect(second!.password).toBe(emulator.credentials[0]!.servicePassword);

    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
    emulator = await lab.control.state();
    expect(emulator.credentials).toEqual([]);
    expect(emulator.users).toEqual([]);
  });
});
