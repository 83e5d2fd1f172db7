/**
 * Issue 6: an IAM that answers too slowly, and a user who presses Ctrl-C.
 *  - Slower than the per-attempt timeout on every attempt: a diagnostic that says so (which
 *    call, how long, how many attempts, how to change it), not a hang or "socket hang up".
 *  - A create whose answer comes too late: the credential IAM made is found and stored.
 *  - SIGINT to Terraform's process group mid-apply: Terraform sends StopProvider, the calls in
 *    flight are cancelled (Terraform exits long before the slow answers would arrive), and the
 *    state holds everything that exists.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRED, deleteStrays, expectAgreement, processes, sleep, startLab, startTerraform, stateCredentials, stateUsers, waitFor, type Lab } from "./support.ts";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ env: { TF_AWS_IAM_REQUEST_TIMEOUT: "0.5" } });
});
afterAll(async () => {
  await lab?.close();
});

async function reset() {
  await lab.control.clearFaults();
  await lab.control.reset();
}

const provider = `provider "aws" {\n  max_retries = 1\n}\n`;

function config(user: string, credentials: string[]): string {
  return `${provider}
resource "aws_iam_user" "u" {
  name = ${JSON.stringify(user)}
}
${credentials
  .map(
    (name, i) => `
resource "${CRED}" "${name}" {
  user_name    = aws_iam_user.u.name
  service_name = ${JSON.stringify(i % 2 === 0 ? "codecommit.amazonaws.com" : "cassandra.amazonaws.com")}
}
`,
  )
  .join("")}`;
}

describe("slow API", () => {
  it("a refresh slower than the per-attempt timeout on every attempt fails with a timeout diagnostic, and the state is kept", async () => {
    await reset();
    const wd = await lab.workdir();
    await wd.writeConfig(config("slow-read", ["a"]));
    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    const before = await wd.showState();

    await lab.control.addFault({ action: "ListServiceSpecificCredentials", delayMs: 3000 });
    const started = performance.now();
    const plan = await wd.run(["plan", "-no-color"]);
    const seconds = (performance.now() - started) / 1000;
    expect(plan.code).toBe(1);
    const output = plan.stdout + plan.stderr;
    expect(output).toMatch(/Could not read the service-specific credential/);
    expect(output).toMatch(
      /IAM did not answer\s+ListServiceSpecificCredentials\s+within\s+0\.5\s+s\s+\(2\s+attempts;\s+the\s+per-attempt\s+timeout\s+is\s+set\s+with\s+TF_AWS_IAM_REQUEST_TIMEOUT/,
    );
    // One 0.5 s attempt and one retry: far less than the 3 s the server would have taken.
    expect(seconds).toBeLessThan(3 + 4);
    expect((await lab.control.faults())[0]!.fired).toBe(2);
    console.log(
      `[slow-read] ${(await lab.control.faults())[0]!.fired} calls delayed 3 s, timed out after 0.5 s each (max_retries = 1); plan failed in ${seconds.toFixed(1)} s`,
    );

    await lab.control.clearFaults();
    expect(stateCredentials(await wd.showState())).toEqual(stateCredentials(before));
    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
    expect((await lab.control.state()).credentials).toEqual([]);
  });

  it("a create answered too late: the credential IAM made is found and named (not adopted: it could be anyone's), never made twice", async () => {
    await reset();
    const wd = await lab.workdir();
    await wd.writeConfig(config("slow-create", ["a"]));
    await lab.control.addFault({ action: "CreateServiceSpecificCredential", delayMs: 2000 });
    const started = performance.now();
    const apply = await wd.run(["apply", "-auto-approve", "-no-color"]);
    const seconds = (performance.now() - started) / 1000;
    expect(apply.code).toBe(1);
    const output = apply.stdout + apply.stderr;
    expect(output).toMatch(/IAM did not answer\s+CreateServiceSpecificCredential\s+within\s+0\.5\s+s/);

    const state = await wd.showState();
    const emulator = await lab.control.state();
    expect(stateCredentials(state)).toEqual([]);
    expect(emulator.credentials).toHaveLength(1);
    expect(output).toContain(emulator.credentials[0]!.id);
    expect(emulator.calls.CreateServiceSpecificCredential).toBe(1);
    console.log(`[slow-create] 1 create delayed 2 s, timed out after 0.5 s, found after it landed and named; apply failed in ${seconds.toFixed(1)} s`);

    await lab.control.clearFaults();
    await deleteStrays(lab, emulator.credentials);
    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    expectAgreement(await wd.showState(), await lab.control.state(), { credentials: 1, users: 1 });
    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
    expect((await lab.control.state()).credentials).toEqual([]);
  });
});

describe("Ctrl-C during apply", () => {
  /** Applies in the background and sends SIGINT to Terraform's process group once `ready`. */
  async function interruptedApply(hcl: string, ready: () => Promise<boolean>) {
    const wd = await lab.workdir();
    await wd.writeConfig(hcl);
    const tf = startTerraform(wd, ["apply", "-auto-approve", "-no-color"]);
    try {
      await waitFor(ready, 30_000, "the slow calls to start");
      const interruptedAt = performance.now();
      process.kill(-tf.child.pid!, "SIGINT");
      const result = await tf.done;
      return { wd, result, seconds: (performance.now() - interruptedAt) / 1000, pid: tf.child.pid! };
    } finally {
      if (tf.child.exitCode === null && tf.child.signalCode === null) process.kill(-tf.child.pid!, "SIGKILL");
    }
  }

  it("cancels the calls in flight, exits long before they would have answered, and saves what was created", async () => {
    await reset();
    // Everything about credentials answers after 20 s; users are quick.
    await lab.control.addFault({ action: "ListServiceSpecificCredentials", delayMs: 20_000 });
    const { wd, result, seconds } = await interruptedApply(
      config("ctrlc", ["a", "b", "c"]),
      async () => ((await lab.control.state()).calls.ListServiceSpecificCredentials ?? 0) >= 2,
    );
    const output = result.stdout + result.stderr;
    expect(result.code).not.toBe(0);
    expect(output).toMatch(/Interrupt received/);
    expect(output).toMatch(/cancelled\s+because\s+Terraform\s+is\s+stopping/);
    expect(seconds).toBeLessThan(10);

    await lab.control.clearFaults();
    const state = await wd.showState();
    expect(stateUsers(state)).toEqual(["ctrlc"]);
    expectAgreement(state, await lab.control.state(), { credentials: 0, users: 1 });
    expect((await lab.control.state()).calls.CreateServiceSpecificCredential ?? 0).toBe(0);
    console.log(
      `[ctrl-c] Terraform exited ${seconds.toFixed(1)} s after SIGINT (calls in flight would have taken 20 s); state = emulator: 1 user, 0 credentials`,
    );

    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    expectAgreement(await wd.showState(), await lab.control.state(), { credentials: 3, users: 1 });
    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
    expect((await lab.control.state()).users).toEqual([]);
  });

  it("a create IAM carries out although the request was cancelled is named, not adopted", async () => {
    await reset();
    await lab.control.addFault({ action: "CreateServiceSpecificCredential", delayMs: 2500 });
    const { wd, result, seconds, pid } = await interruptedApply(
      config("ctrlc-late", ["a"]),
      async () => ((await lab.control.state()).calls.CreateServiceSpecificCredential ?? 0) >= 1,
    );
    const output = result.stdout + result.stderr;
    expect(result.code).not.toBe(0);
    expect(output).toMatch(/Interrupted; a credential appeared that may be the cancelled one/);

    // No provider process of that Terraform is left either.
    await sleep(200);
    expect(processes().filter((p) => p.ppid === pid)).toEqual([]);

    await lab.control.clearFaults();
    const state = await wd.showState();
    const emulator = await lab.control.state();
    expect(stateCredentials(state)).toEqual([]);
    expect(emulator.credentials).toHaveLength(1);
    expect(output).toContain(emulator.credentials[0]!.id);
    console.log(`[ctrl-c late create] Terraform exited ${seconds.toFixed(1)} s after SIGINT; the create IAM finished anyway is named`);
    await deleteStrays(lab, emulator.credentials);

    await wd.ok(["apply", "-auto-approve", "-no-color"]);
    const replaced = await wd.showState();
    expect(stateCredentials(replaced)[0]!.tainted).toBe(false);
    expectAgreement(replaced, await lab.control.state(), { credentials: 1, users: 1 });
    await wd.ok(["destroy", "-auto-approve", "-no-color"]);
    expect((await lab.control.state()).credentials).toEqual([]);
  });
});
