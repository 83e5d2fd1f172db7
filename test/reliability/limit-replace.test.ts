/**
 * Issue 13 item 8: replacing a credential under create_before_destroy when the user already
 * has two for the service. The error names the ids, says the one being replaced is among them,
 * and that the replacement works without create_before_destroy; it does not suggest importing
 * credentials this state already holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRED, startLab, stateCredentials, type Lab } from "./support.ts";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

const config = (cbd: boolean) => `
resource "aws_iam_user" "u" {
  name = "limit-cbd"
}
${["c0", "c1"]
  .map(
    (name) => `
resource "${CRED}" "${name}" {
  user_name    = aws_iam_user.u.name
  service_name = "codecommit.amazonaws.com"
  lifecycle {
    create_before_destroy = ${cbd}
  }
}`,
  )
  .join("\n")}
`;

describe("create_before_destroy at the two-per-user limit", () => {
  it("names the ids, says one is being replaced, and that it works without create_before_destroy", { timeout: 300_000 }, async () => {
    await lab.control.clearFaults();
    await lab.control.reset();
    const wd = await lab.workdir({}, { reattach: true });
    await wd.writeConfig(config(true));
    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    const before = stateCredentials(await wd.showState());
    const c0 = before.find((c) => c.address === `${CRED}.c0`)!;

    const failed = await wd.run(["apply", "-auto-approve", "-no-color", `-replace=${CRED}.c0`]);
    expect(failed.code).toBe(1);
    const output = (failed.stdout + failed.stderr).replace(/\s+/g, " ");
    expect(output).toContain("Too many service-specific credentials");
    for (const c of before) expect(output).toContain(c.id);
    expect(output).toMatch(/replaces one of them under lifecycle \{ create_before_destroy = true \}/);
    expect(output).toMatch(/without create_before_destroy the old credential is deleted first and the replacement works/);
    expect(output).not.toContain("(or import it into Terraform)");
    // Nothing was lost: both credentials are still in the state and in IAM.
    const after = stateCredentials(await wd.showState());
    expect(after.map((c) => c.id).sort()).toEqual(before.map((c) => c.id).sort());

    // As the error says: without create_before_destroy the replacement works.
    await wd.writeConfig(config(false));
    await wd.ok(["apply", "-auto-approve", "-no-color", `-replace=${CRED}.c0`]);
    const replaced = stateCredentials(await wd.showState());
    expect(replaced.find((c) => c.address === `${CRED}.c0`)!.id).not.toBe(c0.id);
    expect((await lab.control.state()).credentials).toHaveLength(2);

    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
  });
});
