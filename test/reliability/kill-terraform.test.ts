/**
 * Issue 6: `kill -9` of Terraform mid-apply leaves no provider process behind. Terraform
 * cannot tell its providers anything when it is SIGKILLed; each provider notices that its
 * parent is gone and exits by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIST_DIR } from "../harness/index.ts";
import { CRED, processes, sleep, startLab, startTerraform, waitFor, type Lab } from "./support.ts";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});

describe("kill -9 of Terraform", () => {
  it("no provider process started by that Terraform is left a few seconds later", async () => {
    const wd = await lab.workdir();
    await wd.writeConfig(`
resource "aws_iam_user" "u" {
  name = "killed"
}
resource "${CRED}" "a" {
  user_name    = aws_iam_user.u.name
  service_name = "codecommit.amazonaws.com"
}
`);
    // The create hangs, so Terraform is mid-apply with its provider busy.
    await lab.control.addFault({ action: "CreateServiceSpecificCredential", delayMs: 30_000 });
    const tf = startTerraform(wd, ["apply", "-auto-approve", "-no-color"]);
    const terraformPid = tf.child.pid!;
    const providerScript = `${DIST_DIR}/provider.mjs`;
    const providersOfTerraform = () => processes().filter((p) => p.ppid === terraformPid && p.cmdline.includes(providerScript));
    try {
      await waitFor(async () => ((await lab.control.state()).calls.CreateServiceSpecificCredential ?? 0) >= 1, 30_000, "the create to start");
      const providers = providersOfTerraform();
      expect(providers.length, "a provider process serves the apply").toBeGreaterThan(0);

      process.kill(terraformPid, "SIGKILL");
      await tf.done;
      const killedAt = performance.now();
      const alive = () => {
        const live = new Set(processes().map((p) => p.pid));
        return providers.filter((p) => live.has(p.pid));
      };
      while (alive().length > 0 && performance.now() - killedAt < 5000) await sleep(50);
      const seconds = (performance.now() - killedAt) / 1000;
      expect(alive(), "provider processes still running 5 s after Terraform was killed").toEqual([]);
      console.log(`[kill -9] ${providers.length} provider process(es) gone ${seconds.toFixed(2)} s after Terraform was SIGKILLed`);
    } finally {
      try {
        process.kill(-terraformPid, "SIGKILL");
      } catch {
        // The whole group is already gone.
      }
      await lab.control.clearFaults();
    }
  });
});
