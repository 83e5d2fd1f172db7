/**
 * Issue 13 item 2: aws_iam_user after a lost answer. The connection drops after IAM acted
 * (`drop: "after"`); the SDK repeats the call, and the repeat is refused (EntityAlreadyExists
 * for a create, NoSuchEntity for a rename). The provider must look and adopt what its own call
 * evidently did, so that the apply succeeds, or a re-run converges, without an import; and it
 * must still refuse a user that existed before its create.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserOutside, startLab, stateResources, type Lab } from "./support.ts";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

const userConfig = (name: string) => `
resource "aws_iam_user" "u" {
  name = ${JSON.stringify(name)}
  path = "/lost/"
  tags = {
    Team = "platform"
  }
}
`;

const stateUser = async (wd: Awaited<ReturnType<Lab["workdir"]>>) => stateResources(await wd.showState()).find((r) => r.address === "aws_iam_user.u");

describe("aws_iam_user: lost answers", () => {
  it("CreateUser answered but the answer lost: the user is adopted, the apply succeeds, the plan is empty", { timeout: 300_000 }, async () => {
    await lab.control.reset();
    const wd = await lab.workdir({}, { reattach: true });
    await wd.writeConfig(userConfig("lost-create"));
    await lab.control.addFault({ action: "CreateUser", drop: "after", count: 1 });
    const applied = await wd.run(["apply", "-auto-approve", "-no-color"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const emulator = await lab.control.state();
    expect((await lab.control.faults())[0]!.fired).toBe(1);
    expect(emulator.calls.CreateUser).toBe(2);
    expect(emulator.users.map((u) => u.name)).toEqual(["lost-create"]);
    const user = await stateUser(wd);
    expect(user?.values.unique_id).toBe(emulator.users[0]!.id);
    expect(user?.values.path).toBe("/lost/");
    await lab.control.clearFaults();
    await wd.ok(["plan", "-detailed-exitcode", "-no-color"]);
    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
    expect((await lab.control.state()).users).toEqual([]);
  });

  it("a user that existed before the create is still refused as 'already exists' after an ambiguous first attempt, and nothing is adopted", {
    timeout: 300_000,
  }, async () => {
    await lab.control.reset();
    const wd = await lab.workdir({}, { reattach: true });
    await createUserOutside(lab, "lost-existing");
    await wd.writeConfig(`resource "aws_iam_user" "u" {\n  name = "lost-existing"\n}\n`);
    // The first attempt fails with a server error (so it may have acted, as far as the provider
    // can tell); the SDK's repeat is refused as already existing, like after a lost answer.
    await lab.control.addFault({ action: "CreateUser", code: "ServiceFailure", status: 500, count: 1 });
    const failed = await wd.run(["apply", "-auto-approve", "-no-color"]);
    expect(failed.code).toBe(1);
    expect((failed.stdout + failed.stderr).replace(/\s+/g, " ")).toMatch(
      /IAM user already exists.*already exists\. Import it with: terraform import aws_iam_user\.<name> lost-existing/,
    );
    // The outside create, then the provider's attempt and the SDK's repeat.
    expect((await lab.control.state()).calls.CreateUser).toBe(3);
    expect(await stateUser(wd)).toBeUndefined();
    expect((await lab.control.state()).users.map((u) => u.name)).toEqual(["lost-existing"]);
  });

  it("UpdateUser (rename) answered but the answer lost: the rename is adopted by unique_id, the plan is empty", { timeout: 300_000 }, async () => {
    await lab.control.reset();
    const wd = await lab.workdir({}, { reattach: true });
    await wd.writeConfig(userConfig("lost-old"));
    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    const before = await stateUser(wd);

    await wd.writeConfig(userConfig("lost-new"));
    await lab.control.addFault({ action: "UpdateUser", drop: "after", count: 1 });
    const applied = await wd.run(["apply", "-auto-approve", "-no-color"]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect((await lab.control.faults())[0]!.fired).toBe(1);
    const emulator = await lab.control.state();
    expect(emulator.users.map((u) => u.name)).toEqual(["lost-new"]);
    const after = await stateUser(wd);
    expect(after?.values.name).toBe("lost-new");
    expect(after?.values.unique_id).toBe(before?.values.unique_id);
    expect(after?.values.arn).toBe(emulator.users[0]!.arn);
    await lab.control.clearFaults();
    await wd.ok(["plan", "-detailed-exitcode", "-no-color"]);
    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
    expect((await lab.control.state()).users).toEqual([]);
  });
});
